/* The client side of the service manager ("svcman", idl/svc.idl), one connection per call:
 * what `svc`, the VFS (its file-system servers) and the tests ask it. */
#pragma once

#include <svc_idl.h>

#define SVC_CLIENT_NAME       "svcman"
#define SVC_CLIENT_TIMEOUT_NS (5000ull * 1000000ull)

/* Whether the service manager runs (is registered). */
bool svc_client_present(void);
/* The service named `name` (an instance's own name): NOT_FOUND if none, or the call's error. */
enum wg_error svc_client_info(const char *name, struct svc_info *out);
/* `svc start|stop|restart|kill NAME` (SVC_ACTION_*). */
enum wg_error svc_client_control(const char *name, uint8_t action);
/* The instance of on-demand entry `entry` for `argument`; its name in `name` (32 bytes). */
enum wg_error svc_client_instance(const char *entry, const char *argument, char *name);
