/* The shell's `svc` command: the service manager's services, and acting on them. */
#pragma once

/* svc | svc start|stop|restart|kill NAME */
void svc_commands_run(int argc, char **argv);
