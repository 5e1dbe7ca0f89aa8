/* The shell's storage commands: lspci (the PCI service's devices), disks (the block
 * drivers registered as blk0, blk1...) and blk read DEV LBA (one sector, hex-dumped). */
#pragma once

void storage_lspci(int argc, char **argv);
void storage_disks(int argc, char **argv);
void storage_blk(int argc, char **argv);
