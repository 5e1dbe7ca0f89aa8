/* Storage at boot: init (the root space, the only one that may create driver assets) starts
 * the PCI service, asks it for the devices, and starts a driver for each disk with exactly
 * that device's resources: its 4 KiB ECAM configuration page, its BARs as device memory,
 * one MSI vector, and DMA memory. Drivers register "blk0", "blk1"... in PCI order. */
#pragma once

#include <wingos.h>

#define DISKS_MAX 8

struct disk_driver {
    char name[8];        /* "blk0" */
    const char *program; /* "virtio_blk", "nvme" */
    struct wg_process process;
    /* Kept by init so the device can be stopped before its DMA memory is freed: a copy of
     * the DMA asset and the configuration page, mapped here. */
    wg_handle dma_keep, config_map;
    volatile uint32_t *config;
};

/* Starts the PCI service and the disk drivers; returns how many drivers were started (their
 * records in disks_started()). Failures are logged and skipped. */
int disks_start(void);

/* The two halves of disks_start: the PCI service (false if it could not start), then the
 * drivers for the devices it found. */
bool disks_start_pci(void);
int disks_start_drivers(void);

/* Runs the disk tests (init's "test disks" mode): blktest against every disk, a driver
 * killed under a waiting client, and memory, assets and MSI vectors back to where they were
 * before the drivers started. Returns the failure count. */
int disktest_run(int argc, char **argv);

struct disk_driver *disks_started(int *count);

/* Ends a driver: destroys its space, turns its device's bus mastering off, then releases
 * init's copy of its DMA memory, so the device never writes into freed pages. */
void disks_stop(struct disk_driver *driver);

/* Ends every started driver (destroys its space) and forgets them. */
void disks_stop_all(void);
