/* sys/mount.h: harness stand-in for the NetBSD header of this name;
 * the definitions the policy kernel code needs are in kh_kernel.h / kh_syscalls.h. */
#include "kh_kernel.h"
