/* The ext2 server's block device: the library's blockdev (fs/blockdev.h) over a disk
 * driver's block protocol (block.h), through one shared buffer attached once. */
#pragma once

#include <block.h>
#include <fs/blockdev.h>

#define DISK_BUFFER_PAGES 65                /* one page of records, then 256 KiB of data */
#define DISK_BUFFER_MAP   0x520000000000ull /* where the buffer is mapped */

/* Connects to driver `name` ("blk0") and attaches the buffer; *dev then reads and writes it. */
enum wg_error disk_open(const char *name, struct block_client *client, struct blockdev *dev);
