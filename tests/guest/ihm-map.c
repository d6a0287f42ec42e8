// SPDX-License-Identifier: GPL-2.0
/*
 * ihm-map: /sys/kernel/irq_migrate agrees with what the test driver does.
 * Needs ihm_test.ko and irq_migrate_sysfs.ko loaded.  Exit status: 0 pass,
 * 1 fail (the failed check on stderr), 4 skip.
 *
 * Checks: the directory appears at request with name and mode; the waiter
 * that armed shows as target_pid/target_comm and in armed; migrated and the
 * fallback counters equal the driver's own counts; a mode written applies
 * from the next interrupt; bad writes (unknown word, empty, huge, binary,
 * from a non-root user) are refused and change nothing; the directory goes
 * away at free.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../bench/ihm_test.h"

#define MAP "/sys/kernel/irq_migrate"

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,	\
				__LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			exit(1);					\
		}							\
	} while (0)

static char dir[64];

static void get(const char *file, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	n = read(fd, buf, len - 1);
	CHECK(n >= 0, "read %s: %s", path, strerror(errno));
	close(fd);
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
}

static long long num(const char *file)
{
	char buf[64];

	get(file, buf, sizeof(buf));
	return strtoll(buf, NULL, 10);
}

/* Write @len bytes to the mode file; returns 0 or the errno. */
static int put_mode(const void *data, size_t len)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/mode", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, data, len) < 0)
		err = errno;
	close(fd);
	return err;
}

struct reader {
	int fd;
	pid_t tid;
	struct ihm_sample s;
	ssize_t n;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;

	r->tid = syscall(SYS_gettid);
	r->n = read(r->fd, &r->s, sizeof(r->s));
	return NULL;
}

/* One interrupt read by a fresh reader thread, which must be armed first. */
static struct reader one_interrupt(int fd)
{
	struct reader r = { .fd = fd };
	char comm[32];
	pthread_t t;
	int i;

	CHECK(!pthread_create(&t, NULL, reader_fn, &r), "pthread_create");
	for (i = 0; i < 2000 && num("armed") != 1; i++)
		usleep(1000);
	CHECK(num("armed") == 1, "armed reads %lld with one reader asleep", num("armed"));
	CHECK(num("target_pid") == r.tid, "target_pid %lld, the reader is %d",
	      num("target_pid"), r.tid);
	get("target_comm", comm, sizeof(comm));
	CHECK(!strcmp(comm, "ihm-map"), "target_comm '%s' for the armed reader", comm);
	CHECK(!ioctl(fd, IHM_TEST_FIRE), "IHM_TEST_FIRE: %s", strerror(errno));
	pthread_join(t, NULL);
	CHECK(r.n == sizeof(r.s), "read returned %zd", r.n);
	return r;
}

int main(void)
{
	struct ihm_setup st = { .source = IHM_SRC_TIMER };
	static char huge[8192];
	struct ihm_stats s;
	char buf[64], comm[32];
	struct stat sb;
	struct sched_param sp = { .sched_priority = 50 };
	pid_t child;
	int fd, i, status;

	/* Readers as urgent as the irq thread are claimed; threads inherit it. */
	CHECK(!sched_setscheduler(0, SCHED_FIFO, &sp), "SCHED_FIFO 50: %s", strerror(errno));
	if (access(MAP "/version", R_OK)) {
		fprintf(stderr, "SKIP: %s missing (irq_migrate_sysfs.ko not loaded)\n", MAP);
		return 4;
	}
	fd = open(IHM_TEST_DEV, O_RDWR);
	CHECK(fd >= 0, "open %s: %s", IHM_TEST_DEV, strerror(errno));
	CHECK(!ioctl(fd, IHM_TEST_REQUEST, &st), "IHM_TEST_REQUEST: %s", strerror(errno));
	CHECK(!ioctl(fd, IHM_TEST_STATS, &s), "IHM_TEST_STATS");
	snprintf(dir, sizeof(dir), "%s/%d", MAP, s.irq);
	CHECK(!stat(dir, &sb), "%s missing after the request", dir);

	get("name", buf, sizeof(buf));
	CHECK(!strcmp(buf, "ihm_test"), "name '%s'", buf);
	get("mode", buf, sizeof(buf));
	CHECK(!strcmp(buf, "migrate"), "mode '%s' after request", buf);
	CHECK(num("armed") == 0 && num("migrated") == 0 && num("fallback") == 0 &&
	      num("urgent") == 0, "counters not zero at request");

	for (i = 0; i < 10; i++) {
		struct reader r = one_interrupt(fd);

		CHECK(r.s.flags & IHM_SAMPLE_IN_READER,
		      "run %d not in the reader (fallbacks: none %lld mode %lld other %lld prio %lld)",
		      i, num("fallback_none"), num("fallback_mode"), num("fallback_other"),
		      num("fallback_prio"));
	}
	/*
	 * The last reader thread has exited: no target any more.  Its pid
	 * stays visible a moment after pthread_join() returns (the join
	 * wakes at mm_release(), the pid goes at release_task()), so allow
	 * it five seconds to go (a debug kernel on a busy host).
	 */
	for (i = 0; i < 500; i++) {
		get("target_comm", comm, sizeof(comm));
		if (num("target_pid") == 0 && !comm[0])
			break;
		usleep(10000);
	}
	CHECK(num("target_pid") == 0 && !comm[0],
	      "target of an exited task: pid %lld comm '%s'", num("target_pid"), comm);
	CHECK(!ioctl(fd, IHM_TEST_STATS, &s), "IHM_TEST_STATS");
	CHECK(num("migrated") == (long long)s.runs_migrated && s.runs_migrated == 10,
	      "migrated %lld, the driver counted %llu", num("migrated"), s.runs_migrated);

	/* A mode applies from the next interrupt. */
	CHECK(!put_mode("thread\n", 7), "writing 'thread' failed");
	get("mode", buf, sizeof(buf));
	CHECK(!strcmp(buf, "thread"), "mode '%s' after writing thread", buf);
	for (i = 0; i < 5; i++) {
		struct reader r = one_interrupt(fd);

		CHECK(!(r.s.flags & IHM_SAMPLE_IN_READER), "mode thread: run in the reader");
	}
	CHECK(num("fallback_mode") == 5 && num("fallback") == 5 && num("migrated") == 10,
	      "after 5 runs in mode thread: fallback_mode %lld fallback %lld migrated %lld",
	      num("fallback_mode"), num("fallback"), num("migrated"));
	CHECK(!ioctl(fd, IHM_TEST_STATS, &s), "IHM_TEST_STATS");
	CHECK(num("fallback") == (long long)s.runs_in_thread, "fallback %lld, driver %llu",
	      num("fallback"), s.runs_in_thread);
	CHECK(!put_mode("urgent", 6), "writing 'urgent' failed");
	get("mode", buf, sizeof(buf));
	CHECK(!strcmp(buf, "urgent"), "mode '%s' after writing urgent", buf);

	/* Bad writes change nothing. */
	memset(huge, 'm', sizeof(huge));
	CHECK(put_mode("bogus", 5) == EINVAL, "'bogus' accepted");
	CHECK(put_mode("", 0) == 0 || put_mode("", 0) == EINVAL, "empty write");
	CHECK(put_mode("\n", 1) == EINVAL, "a lone newline accepted");
	CHECK(put_mode("migrate2", 8) == EINVAL, "'migrate2' accepted");
	CHECK(put_mode(huge, sizeof(huge)) != 0, "8 KiB write accepted");
	CHECK(put_mode("\x00\xff\x01thread", 9) == EINVAL, "binary write accepted");
	child = fork();
	CHECK(child >= 0, "fork");
	if (!child) {
		if (setgid(65534) || setuid(65534))
			_exit(3);
		_exit(put_mode("thread", 6) == 0 ? 1 : 0);
	}
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a non-root write to mode was accepted (status %d)", status);
	get("mode", buf, sizeof(buf));
	CHECK(!strcmp(buf, "urgent"), "mode '%s' after bad writes, expected urgent", buf);

	CHECK(!ioctl(fd, IHM_TEST_FREE, &s), "IHM_TEST_FREE");
	CHECK(stat(dir, &sb) && errno == ENOENT, "%s still there after free", dir);
	printf("map agrees: 15 runs (10 migrated, 5 in thread), modes applied, 6 bad writes refused\n");
	return 0;
}
