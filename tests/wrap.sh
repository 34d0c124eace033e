#!/bin/sh
# Test launcher used by automake's harness. With VALGRIND=1 in the
# environment, test binaries run under valgrind memcheck and any error or
# leak fails the test.
if [ -n "$VALGRIND" ] && [ "$VALGRIND" != 0 ]; then
    exec valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect "$@"
fi
exec "$@"
