// The same override-hook check, compiled as C++17.
#include "override_hook.c"
