/* kh_syscalls.h: harness syscall numbers and argument structures (native, netbsd32, linux,
 * linux32) with the field names NetBSD's generated syscallargs headers use. */
#ifndef _KH_SYSCALLS_H_
#define _KH_SYSCALLS_H_

#include "kh_kernel.h"

#define syscallarg(x)	union { register_t pad; x datum; }
#define SCARG(p, k)	((p)->k.datum)
#define KH_ARGS(name, fields)	struct name { fields }

/* Native (sys/syscall.h numbers of the kernel-src tree). */
#define SYS_open 5
#define SYS_openat 468
#define SYS_unlink 10
#define SYS_unlinkat 471
#define SYS_rmdir 137
#define SYS_rename 128
#define SYS_renameat 458
#define SYS_mkdir 136
#define SYS_mkdirat 461
#define SYS_link 9
#define SYS_symlink 57
#define SYS_chmod 15
#define SYS_lchmod 274
#define SYS_fchmodat 463
#define SYS_chown 16
#define SYS_lchown 275
#define SYS___posix_chown 283
#define SYS___posix_lchown 285
#define SYS_fchownat 464
#define SYS_truncate 200
#define SYS_readlink 58
#define SYS_readlinkat 469
#define SYS_access 33
#define SYS_faccessat 462
#define SYS___stat50 439
#define SYS___lstat50 441
#define SYS_fstatat 466
#define SYS_chdir 12
#define SYS_execve 59
#define SYS_fexecve 465
#define SYS_connect 98
#define SYS_bind 104
#define SYS_sendto 133
#define SYS_sendmsg 28
#define SYS___socket30 394
#define SYS_kill 37
#define SYS_ptrace 26
#define SYS___mount50 410
#define KH_NSYSENT 512

struct sys_open_args { syscallarg(const char *) path; syscallarg(int) flags; syscallarg(mode_t) mode; };
struct sys_openat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(int) oflags; syscallarg(mode_t) mode; };
struct sys_unlink_args { syscallarg(const char *) path; };
struct sys_unlinkat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(int) flag; };
struct sys_rmdir_args { syscallarg(const char *) path; };
struct sys_rename_args { syscallarg(const char *) from; syscallarg(const char *) to; };
struct sys_renameat_args { syscallarg(int) fromfd; syscallarg(const char *) from; syscallarg(int) tofd; syscallarg(const char *) to; };
struct sys_mkdir_args { syscallarg(const char *) path; syscallarg(mode_t) mode; };
struct sys_mkdirat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(mode_t) mode; };
struct sys_link_args { syscallarg(const char *) path; syscallarg(const char *) link; };
struct sys_symlink_args { syscallarg(const char *) path; syscallarg(const char *) link; };
struct sys_chmod_args { syscallarg(const char *) path; syscallarg(mode_t) mode; };
struct sys_lchmod_args { syscallarg(const char *) path; syscallarg(mode_t) mode; };
struct sys_fchmodat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(mode_t) mode; syscallarg(int) flag; };
struct sys_chown_args { syscallarg(const char *) path; syscallarg(uid_t) uid; syscallarg(gid_t) gid; };
struct sys_lchown_args { syscallarg(const char *) path; syscallarg(uid_t) uid; syscallarg(gid_t) gid; };
struct sys_fchownat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(uid_t) owner; syscallarg(gid_t) group; syscallarg(int) flag; };
struct sys_truncate_args { syscallarg(const char *) path; syscallarg(int) PAD; syscallarg(off_t) length; };
struct sys_readlink_args { syscallarg(const char *) path; syscallarg(char *) buf; syscallarg(size_t) count; };
struct sys_readlinkat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(char *) buf; syscallarg(size_t) bufsize; };
struct sys_access_args { syscallarg(const char *) path; syscallarg(int) flags; };
struct sys_faccessat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(int) amode; syscallarg(int) flag; };
struct sys___stat50_args { syscallarg(const char *) path; syscallarg(struct stat *) ub; };
struct sys___lstat50_args { syscallarg(const char *) path; syscallarg(struct stat *) ub; };
struct sys_fstatat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(struct stat *) buf; syscallarg(int) flag; };
struct sys_chdir_args { syscallarg(const char *) path; };
struct sys_execve_args { syscallarg(const char *) path; syscallarg(char * const *) argp; syscallarg(char * const *) envp; };
struct sys_fexecve_args { syscallarg(int) fd; syscallarg(char * const *) argp; syscallarg(char * const *) envp; };
struct sys_connect_args { syscallarg(int) s; syscallarg(const struct sockaddr *) name; syscallarg(socklen_t) namelen; };
struct sys_bind_args { syscallarg(int) s; syscallarg(const struct sockaddr *) name; syscallarg(socklen_t) namelen; };
struct sys_sendto_args { syscallarg(int) s; syscallarg(const void *) buf; syscallarg(size_t) len; syscallarg(int) flags; syscallarg(const struct sockaddr *) to; syscallarg(socklen_t) tolen; };
struct sys_sendmsg_args { syscallarg(int) s; syscallarg(const struct msghdr *) msg; syscallarg(int) flags; };
struct sys___socket30_args { syscallarg(int) domain; syscallarg(int) type; syscallarg(int) protocol; };
struct sys_kill_args { syscallarg(pid_t) pid; syscallarg(int) signum; };
struct sys_ptrace_args { syscallarg(int) req; syscallarg(pid_t) pid; syscallarg(void *) addr; syscallarg(int) data; };
struct sys___mount50_args { syscallarg(const char *) type; syscallarg(const char *) path; syscallarg(int) flags; syscallarg(void *) data; syscallarg(size_t) data_len; };

/* netbsd32: 32-bit pointers. */
typedef struct { uint32_t i32; } netbsd32_pointer_t;
typedef netbsd32_pointer_t netbsd32_charp, netbsd32_charpp, netbsd32_voidp,
    netbsd32_sockaddrp_t;
typedef uint32_t netbsd32_size_t;
#define NETBSD32IPTR64(p32)	((void *)(uintptr_t)(p32))
#define NETBSD32PTR64(p32)	NETBSD32IPTR64((p32).i32)
#define SCARG_P32(uap, name)	NETBSD32PTR64(SCARG(uap, name))
#define NETBSD32_SYS_netbsd32_open 5
#define NETBSD32_SYS_netbsd32_openat 468
#define NETBSD32_SYS_netbsd32_unlink 10
#define NETBSD32_SYS_netbsd32_rmdir 137
#define NETBSD32_SYS_netbsd32_rename 128
#define NETBSD32_SYS_netbsd32_mkdir 136
#define NETBSD32_SYS_netbsd32_link 9
#define NETBSD32_SYS_netbsd32_symlink 57
#define NETBSD32_SYS_netbsd32_chmod 15
#define NETBSD32_SYS_netbsd32_readlink 58
#define NETBSD32_SYS_netbsd32_access 33
#define NETBSD32_SYS_netbsd32_chdir 12
#define NETBSD32_SYS_netbsd32_execve 59
#define NETBSD32_SYS_netbsd32_connect 98
#define NETBSD32_SYS_netbsd32_bind 104
#define NETBSD32_SYS_netbsd32_sendto 133
#define NETBSD32_SYS_netbsd32___socket30 394
#define NETBSD32_SYS_netbsd32_kill 37
struct netbsd32_open_args { syscallarg(netbsd32_charp) path; syscallarg(int) flags; syscallarg(mode_t) mode; };
struct netbsd32_openat_args { syscallarg(int) fd; syscallarg(netbsd32_charp) path; syscallarg(int) oflags; syscallarg(mode_t) mode; };
struct netbsd32_unlink_args { syscallarg(netbsd32_charp) path; };
struct netbsd32_rmdir_args { syscallarg(netbsd32_charp) path; };
struct netbsd32_rename_args { syscallarg(netbsd32_charp) from; syscallarg(netbsd32_charp) to; };
struct netbsd32_mkdir_args { syscallarg(netbsd32_charp) path; syscallarg(mode_t) mode; };
struct netbsd32_link_args { syscallarg(netbsd32_charp) path; syscallarg(netbsd32_charp) link; };
struct netbsd32_symlink_args { syscallarg(netbsd32_charp) path; syscallarg(netbsd32_charp) link; };
struct netbsd32_chmod_args { syscallarg(netbsd32_charp) path; syscallarg(mode_t) mode; };
struct netbsd32_readlink_args { syscallarg(netbsd32_charp) path; syscallarg(netbsd32_charp) buf; syscallarg(netbsd32_size_t) count; };
struct netbsd32_access_args { syscallarg(netbsd32_charp) path; syscallarg(int) flags; };
struct netbsd32_chdir_args { syscallarg(netbsd32_charp) path; };
struct netbsd32_execve_args { syscallarg(netbsd32_charp) path; syscallarg(netbsd32_charpp) argp; syscallarg(netbsd32_charpp) envp; };
struct netbsd32_connect_args { syscallarg(int) s; syscallarg(netbsd32_sockaddrp_t) name; syscallarg(int) namelen; };
struct netbsd32_bind_args { syscallarg(int) s; syscallarg(netbsd32_sockaddrp_t) name; syscallarg(int) namelen; };
struct netbsd32_sendto_args { syscallarg(int) s; syscallarg(netbsd32_voidp) buf; syscallarg(netbsd32_size_t) len; syscallarg(int) flags; syscallarg(netbsd32_sockaddrp_t) to; syscallarg(int) tolen; };
struct netbsd32___socket30_args { syscallarg(int) domain; syscallarg(int) type; syscallarg(int) protocol; };
struct netbsd32_kill_args { syscallarg(int) pid; syscallarg(int) signum; };

/* Linux (amd64 values). */
typedef unsigned short linux_umode_t;
#define LINUX_O_ACCMODE		0x00003
#define LINUX_O_CREAT		0x00040
#define LINUX_O_EXCL		0x00080
#define LINUX_O_NOCTTY		0x00100
#define LINUX_O_TRUNC		0x00200
#define LINUX_O_APPEND		0x00400
#define LINUX_O_NONBLOCK	0x00800
#define LINUX_O_SYNC		0x01000
#define LINUX_O_DIRECTORY	0x10000
#define LINUX_O_NOFOLLOW	0x20000
#define LINUX_O_CLOEXEC		0x80000
#define LINUX_AT_FDCWD		-100
#define LINUX_AF_UNSPEC		0
#define LINUX_AF_UNIX		1
#define LINUX_AF_INET		2
#define LINUX_AF_INET6		10
#define LINUX_SOCK_TYPE_MASK	0xf
#define LINUX_SOCK_CLOEXEC	LINUX_O_CLOEXEC
#define LINUX_SOCK_NONBLOCK	LINUX_O_NONBLOCK
#define LINUX__NSIG		64
extern const int linux_to_native_signo[LINUX__NSIG];
struct osockaddr;
#define LINUX_SYS_open 2
#define LINUX_SYS_openat 257
#define LINUX_SYS_unlink 87
#define LINUX_SYS_execve 59
#define LINUX_SYS_connect 42
#define LINUX_SYS_bind 49
#define LINUX_SYS_sendto 44
#define LINUX_SYS_socket 41
#define LINUX_SYS_kill 62
struct linux_sys_open_args { syscallarg(const char *) path; syscallarg(int) flags; syscallarg(linux_umode_t) mode; };
struct linux_sys_openat_args { syscallarg(int) fd; syscallarg(const char *) path; syscallarg(int) flags; syscallarg(linux_umode_t) mode; };
struct linux_sys_unlink_args { syscallarg(const char *) path; };
struct linux_sys_connect_args { syscallarg(int) s; syscallarg(const struct osockaddr *) name; syscallarg(unsigned int) namelen; };
struct linux_sys_bind_args { syscallarg(int) s; syscallarg(const struct osockaddr *) name; syscallarg(unsigned int) namelen; };
struct linux_sys_sendto_args { syscallarg(int) s; syscallarg(void *) msg; syscallarg(int) len; syscallarg(int) flags; syscallarg(struct osockaddr *) to; syscallarg(int) tolen; };
struct linux_sys_socket_args { syscallarg(int) domain; syscallarg(int) type; syscallarg(int) protocol; };
struct linux_sys_kill_args { syscallarg(int) pid; syscallarg(int) signum; };

/* linux32 (i386 numbers) and socketcall(2). */
#define LINUX32_SYS_open 5
#define LINUX32_SYS_unlink 10
#define LINUX32_SYS_netbsd32_execve 11
#define LINUX32_SYS_kill 37
#define LINUX32_SYS_socketcall 102
#define LINUX_SYS_SOCKET	1
#define LINUX_SYS_BIND		2
#define LINUX_SYS_CONNECT	3
#define LINUX_SYS_SENDTO	11
struct linux32_sys_open_args { syscallarg(netbsd32_charp) path; syscallarg(int) flags; syscallarg(linux_umode_t) mode; };
struct linux32_sys_unlink_args { syscallarg(netbsd32_charp) path; };
struct linux32_sys_kill_args { syscallarg(int) pid; syscallarg(int) signum; };
struct linux32_sys_socketcall_args { syscallarg(int) what; syscallarg(netbsd32_voidp) args; };

#endif /* !_KH_SYSCALLS_H_ */
