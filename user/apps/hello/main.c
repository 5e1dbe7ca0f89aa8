/* hello: the smallest program. Prints its name and arguments and exits with status 7, which
 * the tests check to see that an exit status reaches the waiting parent. */
#include <wingos.h>

int main(int argc, char **argv)
{
    printf("hello from %s with %d arguments\n", argc > 0 ? argv[0] : "(nameless)",
           argc > 0 ? argc - 1 : 0);
    for (int i = 1; i < argc; i++)
        printf("hello: argument %d: %s\n", i, argv[i]);
    return 7;
}
