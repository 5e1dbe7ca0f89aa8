/* spin: a busy program that never ends by itself and ignores Ctrl-C's signal, so the shell
 * has to kill it (the shell test's busy foreground job). "spin" takes no arguments. */
#include <wingos.h>

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        printf("usage: spin\n");
        return 1;
    }
    printf("spin: spinning until killed\n");
    for (volatile uint64_t i = 0;; i++)
        ;
}
