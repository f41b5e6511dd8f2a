/* sys_policy_ptr32.h: reading one element of a user array of 32-bit pointers (argv,
 * envp), shared by the netbsd32 and linux32 wrappers; include after compat/netbsd32. */
#ifndef _KERN_SYS_POLICY_PTR32_H_
#define _KERN_SYS_POLICY_PTR32_H_

/* A policy_fetch_t: element index of the 32-bit pointer array at array. */
static inline int
policy_fetch_ptr32(const void *array, size_t index, const void **elemp)
{
	const netbsd32_pointer_t *a = array;
	netbsd32_pointer_t p;
	int error;

	if ((error = copyin(a + index, &p, sizeof(p))) != 0)
		return error;
	*elemp = NETBSD32PTR64(p);
	return 0;
}

#endif /* !_KERN_SYS_POLICY_PTR32_H_ */
