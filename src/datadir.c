#include "datadir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "xalloc.h"

#ifndef STACKMAP_DATADIR
#define STACKMAP_DATADIR "/usr/local/share/stackmap"
#endif

static bool S_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the running binary, or NULL when it cannot be told. */
static char *S_exe_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(slash == path ? "/" : path);
}

char *datadir_find(const char *name)
{
	char *exe = S_exe_dir();
	char *candidates[3] = {NULL, NULL, NULL};
	char *found = NULL;
	if (exe) {
		char *share = fs_join(exe, "../share/stackmap");
		candidates[0] = fs_join(share, name);
		candidates[1] = fs_join(exe, name);
		free(share);
	}
	candidates[2] = fs_join(STACKMAP_DATADIR, name);
	for (size_t i = 0; i < 3; i++) {
		if (!found && candidates[i] && S_is_dir(candidates[i]))
			found = candidates[i];
		else
			free(candidates[i]);
	}
	free(exe);
	return found;
}

char *datadir_templates(void)
{
	char *dir;
	if (S_is_dir("templates"))
		return xstrdup("templates");
	dir = datadir_find("templates");
	return dir ? dir : xstrdup("templates");
}
