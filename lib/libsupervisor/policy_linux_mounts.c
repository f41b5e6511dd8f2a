/* policy_linux_mounts.c: the mount an object is on, read from /proc/self/mountinfo, and the
 * object's path within its file system (Landlock's bind-mount check, the /proc ownership test). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy_linux.h"

/* mountinfo's octal escapes (\040 for a space), undone in place. */
static void
policy_linux_unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

bool
policy_linux_mount_next(FILE *f, struct policy_linux_mount *m, char *line,
    size_t cap)
{
	char *save, *tok[5];
	int i;

	while (fgets(line, (int)cap, f) != NULL) {
		for (i = 0; i < 5; i++)
			if ((tok[i] = strtok_r(i ? NULL : line, " ", &save)) ==
			    NULL)
				break;
		if (i < 5 || strlen(tok[2]) >= sizeof(m->dev) ||
		    strlen(tok[3]) >= sizeof(m->root) ||
		    strlen(tok[4]) >= sizeof(m->point))
			continue;
		m->id = strtol(tok[0], NULL, 10);
		strcpy(m->dev, tok[2]);
		strcpy(m->root, tok[3]);
		strcpy(m->point, tok[4]);
		policy_linux_unescape(m->root);
		policy_linux_unescape(m->point);
		return true;
	}
	return false;
}

long
policy_linux_mount_id(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID,
	    &stx) != 0 || !(stx.stx_mask & STATX_MNT_ID))
		return -1;
	return (long)stx.stx_mnt_id;
}

int
policy_linux_mount_find(long id, struct policy_linux_mount *m)
{
	char *line = malloc(3 * PATH_MAX);
	int r = -ENOENT;
	FILE *f;

	if (line == NULL)
		return -ENOMEM;
	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL) {
		r = -errno;
		free(line);
		return r;
	}
	while (r != 0 && policy_linux_mount_next(f, m, line, 3 * PATH_MAX))
		if (m->id == id)
			r = 0;
	fclose(f);
	free(line);
	return r;
}

int
policy_linux_fs_path(const struct policy_linux_mount *m, const char *path,
    char *out, size_t cap)
{
	const char *suffix = path;
	size_t pl = strlen(m->point);
	bool rootfs = strcmp(m->root, "/") == 0;

	if (strcmp(m->point, "/") != 0) {
		if (strncmp(path, m->point, pl) != 0 ||
		    (path[pl] != '\0' && path[pl] != '/'))
			return -EXDEV;		/* not beneath the mount point */
		suffix = path + pl;
	}
	if ((size_t)snprintf(out, cap, "%s%s", rootfs ? "" : m->root,
	    *suffix ? suffix : (rootfs ? "/" : "")) >= cap)
		return -ENAMETOOLONG;
	return 0;
}
