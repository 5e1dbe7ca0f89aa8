/* FPU/SSE setup per CPU and the state new tasks start from. */
#pragma once

void fpu_init_cpu(void);
void fpu_capture_initial_state(void);
