/* killat: runs a command and kills it with SIGKILL after a delay, for the
 * crash-safety trials of tests/suite-crash.sh.
 *
 * usage: killat USEC CMD [ARG...]
 *
 * Starts CMD (stdin, stdout and stderr inherited), waits USEC microseconds
 * from the moment CMD was started (measured on CLOCK_MONOTONIC, just
 * before fork), then sends it SIGKILL unless it has already ended, and
 * reaps it. A CMD that ends sooner is reaped at once (SIGCHLD), so its
 * time is its own. With USEC < 0 it never kills: it only waits and times.
 *
 * Prints one line on stdout:
 *   killed US            CMD was killed US microseconds after its start
 *   exited STATUS US     CMD ended by itself with exit STATUS (128+N for
 *                        a signal N) after US microseconds
 * Exits 0, or 2 on a usage or system error. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long S_usec_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - t0->tv_sec) * 1000000 +
	       (now.tv_nsec - t0->tv_nsec) / 1000;
}

static int S_status(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: killat USEC CMD [ARG...]\n", stderr);
		return 2;
	}
	char *end;
	long long usec = strtoll(argv[1], &end, 10);
	if (*end) {
		fprintf(stderr, "killat: bad delay '%s'\n", argv[1]);
		return 2;
	}
	/* SIGCHLD stays pending until sigtimedwait takes it */
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("killat: fork");
		return 2;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(argv[2], argv + 2);
		perror("killat: exec");
		_exit(127);
	}
	int st;
	if (usec >= 0) {
		pid_t r;
		long long left;
		/* until the deadline or the end of CMD, whichever is first */
		while ((r = waitpid(pid, &st, WNOHANG)) == 0 &&
		       (left = usec - S_usec_since(&t0)) > 0) {
			struct timespec wait;
			wait.tv_sec = left / 1000000;
			wait.tv_nsec = left % 1000000 * 1000;
			sigtimedwait(&chld, NULL, &wait);
		}
		if (r == 0) {
			kill(pid, SIGKILL);
			long long when = S_usec_since(&t0);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
				printf("killed %lld\n", when);
				return 0;
			}
			/* it ended between the check and the kill */
			printf("exited %d %lld\n", S_status(st), when);
			return 0;
		}
		if (r < 0) {
			perror("killat: waitpid");
			return 2;
		}
		printf("exited %d %lld\n", S_status(st), S_usec_since(&t0));
		return 0;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("killat: waitpid");
			return 2;
		}
	printf("exited %d %lld\n", S_status(st), S_usec_since(&t0));
	return 0;
}
