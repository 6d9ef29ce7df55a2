#include <netpbm/pam.h>
