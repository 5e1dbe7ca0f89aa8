/* Starting the application processors. */
#pragma once

/* Starts every CPU the platform reported. */
void smp_start_aps(void);
