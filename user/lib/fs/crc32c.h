/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) as ext4's metadata checksums use it:
 * the raw register update, with no inversion before or after (callers seed with ~0). */
#pragma once

#include "fs_port.h"

uint32_t crc32c_update(uint32_t crc, const void *data, size_t len);
