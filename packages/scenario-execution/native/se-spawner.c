/*
 * se-spawner: the native process supervisor of run_process.
 *
 * It does what src/actions/process-supervisor/program.ts does in Node, with the
 * same protocol (described in src/actions/process-supervisor/messages.ts):
 * requests from the host on stdin, events to the host on stdout, one message
 * per line, fields separated by TAB, `\` TAB LF CR escaped as \\ \t \n \r.
 *
 * - Each process is started with vfork + execve, in a session (and process
 *   group) of its own, as Python's run_process does (no controlling terminal, and a
 *   Ctrl-C at a terminal reaches none of them), with PR_SET_PDEATHSIG = SIGKILL so
 *   that it dies if this program dies, stdin /dev/null, stdout and stderr on pipes
 *   to this program. Not one session for all (tried, to spare the host CPU in a
 *   burst of starts): this program, in that session with its busy children, was
 *   starved by them, and a load of 20 clients failed (no reply within 3 s).
 *   The program is looked up in the PATH of the environment it gets, as
 *   execvp does (a file without `#!` is run by /bin/sh). A failed start is
 *   reported with its errno name (the vfork child stores errno in memory it
 *   shares with this program until it execs or exits).
 * - Output is split into lines at \n, \r\n and \r, each at most
 *   --max-line-bytes long (the rest is dropped and counted), and relayed in
 *   order per file descriptor.
 * - One poll() loop: stdin, stdout (while the host's pipe is full), a
 *   signalfd (SIGCHLD, SIGTERM, SIGINT, SIGHUP) and the children's pipes.
 *   Children are reaped with waitpid(WNOHANG). Events are written in batches
 *   (FLUSH_DELAY_MS, FLUSH_BYTES). Writes to the host never block: stdout is
 *   non-blocking, and while more than OUTPUT_HIGH bytes wait for the host,
 *   neither the pipes nor stdin are read (a child writing more then blocks in
 *   its write, as the host's pipe would make it).
 * - The host is gone when stdin ends, a write to stdout fails, SIGTERM comes
 *   (PR_SET_PDEATHSIG of this program) or the parent pid changes; then every
 *   process group started and not forgotten is SIGKILLed and the program
 *   exits. SIGINT and SIGHUP do the same.
 *
 * Usage: se-spawner [--parent=PID] [--max-line-bytes=N] [--parent-check-ms=N]
 *                   [--no-pdeathsig] | --version
 *
 * Linux only (prctl, signalfd, pipe2); elsewhere the build skips it and the
 * host runs the Node supervisor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __linux__
#error "se-spawner needs Linux"
#endif

#define PROTOCOL_VERSION 1
/* Bytes read from a pipe (or stdin) at a time. */
#define READ_CHUNK 65536
/* Above this many unwritten bytes of events, stop reading pipes and requests. */
#define OUTPUT_HIGH (1024u * 1024u)
/* Longest request line accepted (an `env` message is the longest). */
#define REQUEST_LIMIT (64u * 1024u * 1024u)
/* A line buffer larger than this is freed once its line was sent. */
#define LINE_KEEP 16384
/* Upper bound of the iterations of the loops that drain something (reaping, signals, writes). */
#define DRAIN_LIMIT 100000
/*
 * Events are written when the oldest one waited this long (ms), or when this
 * many bytes wait: fewer, larger writes wake the host less often (each wake-up
 * costs it more than a few events), for a few ms of latency. Answers to
 * `spawn` are written at once, after the requests read together were handled
 * (within a long batch of spawns, every ANSWER_DELAY_MS).
 */
#ifndef FLUSH_DELAY_MS
#define FLUSH_DELAY_MS 5
#endif
#define FLUSH_BYTES 65536
#define ANSWER_DELAY_MS 2

extern char **environ;

/* ---- configuration (command line) */

static pid_t parent_pid;
static size_t max_line = 65536;
static int parent_check_ms = 250;
static int use_pdeathsig = 1;

/* ---- state */

struct buf {
  char *data;
  size_t len, cap;
};

struct stream {
  int fd; /* -1 once the pipe ended */
  char *line; /* bytes of the unfinished line, at most max_line */
  size_t held, cap;
  unsigned long long dropped; /* bytes of the unfinished line beyond max_line */
  int after_cr; /* the last chunk ended with \r: a \n starting the next one belongs to it */
};

struct child {
  unsigned long long id;
  pid_t pid;
  int exited;
  struct stream streams[2]; /* stdout (fd 1), stderr (fd 2) */
};

static struct child **kids; /* not reaped, or pipes still open */
static size_t nkids, kids_cap;
static pid_t *groups; /* process groups started that may still have members */
static size_t ngroups, groups_cap;

static struct buf to_host; /* events not written yet (from to_host_sent on) */
static size_t to_host_sent;
static struct buf from_host; /* requests not complete yet */

/* When batch_open, the last event queued is an `out` of (batch_id, batch_fd) that more lines may join. */
static int batch_open;
static unsigned long long batch_id;
static int batch_fd;
static size_t batch_end;

static char **env_current; /* environment of the next processes (environ until `env`) */
static char *env_block;
static char **env_ptrs;

static long long unsent_since = -1; /* monotonic ms when the oldest event not handed to write() was seen */
static int write_blocked; /* the last write did not take everything: wait for POLLOUT */
static long long answers_since = -1; /* monotonic ms of the oldest answer to `spawn` not written */
static int devnull = -1;
static int signal_fd = -1;
static sigset_t child_mask; /* the signal mask children start with (empty) */
static int stopping;

/* Set by a vfork child that could not exec (the memory is shared until then). */
static volatile int child_errno;

static pid_t own_pid;

static void stop(void) __attribute__((noreturn));
static void fatal(const char *what, int error) __attribute__((noreturn));

/* ---- byte buffers */

static void buf_reserve(struct buf *b, size_t extra) {
  if (extra > SIZE_MAX / 4 - b->len) fatal("buffer too large", 0);
  size_t need = b->len + extra;
  if (need <= b->cap) return;
  size_t cap = b->cap > 0 ? b->cap : 256;
  while (cap < need) cap *= 2; /* bounded: need < SIZE_MAX / 4 */
  char *data = realloc(b->data, cap);
  if (data == NULL) fatal("out of memory", 0);
  b->data = data;
  b->cap = cap;
}

static void buf_add(struct buf *b, const char *bytes, size_t n) {
  buf_reserve(b, n);
  memcpy(b->data + b->len, bytes, n);
  b->len += n;
}

static void put(const char *text) { buf_add(&to_host, text, strlen(text)); }

static void put_char(char c) { buf_add(&to_host, &c, 1); }

static void put_ull(unsigned long long value) {
  char digits[24];
  int n = snprintf(digits, sizeof digits, "%llu", value);
  buf_add(&to_host, digits, (size_t)n);
}

static void put_ll(long long value) {
  char digits[24];
  int n = snprintf(digits, sizeof digits, "%lld", value);
  buf_add(&to_host, digits, (size_t)n);
}

/* `n` bytes as one field: \ TAB LF CR escaped. */
static void put_escaped(const char *bytes, size_t n) {
  buf_reserve(&to_host, 2 * n);
  char *out = to_host.data + to_host.len;
  for (size_t i = 0; i < n; i++) {
    char c = bytes[i];
    switch (c) {
    case '\\': *out++ = '\\'; *out++ = '\\'; break;
    case '\t': *out++ = '\\'; *out++ = 't'; break;
    case '\n': *out++ = '\\'; *out++ = 'n'; break;
    case '\r': *out++ = '\\'; *out++ = 'r'; break;
    default: *out++ = c;
    }
  }
  to_host.len = (size_t)(out - to_host.data);
}

static size_t pending(void) { return to_host.len - to_host_sent; }

static long long monotonic_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* ---- errno names (as Node reports them) */

struct errno_name {
  int value;
  const char *name;
};

#define NAMED(e) {e, #e}
static const struct errno_name errno_names[] = {
    NAMED(ENOENT), NAMED(EACCES),  NAMED(ENOEXEC),      NAMED(ENOTDIR), NAMED(ELOOP),  NAMED(ENAMETOOLONG),
    NAMED(E2BIG),  NAMED(ENOMEM),  NAMED(EPERM),        NAMED(ETXTBSY), NAMED(EAGAIN), NAMED(EMFILE),
    NAMED(ENFILE), NAMED(EISDIR),  NAMED(EINVAL),       NAMED(EFAULT),  NAMED(EIO),    NAMED(ELIBBAD),
    NAMED(ENODEV), NAMED(ESTALE),  NAMED(ETIMEDOUT),    NAMED(ENXIO),   NAMED(EBADF),  NAMED(EROFS),
    NAMED(ESRCH),  NAMED(EINTR),   NAMED(EOVERFLOW),    NAMED(ENOSPC),  NAMED(EBUSY),  NAMED(EEXIST),
};
#undef NAMED

static const char *errno_name(int value) {
  for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
    if (errno_names[i].value == value) return errno_names[i].name;
  return NULL;
}

/* ---- the end */

/* Remember when events started to wait. */
static void note_unsent(void) {
  if (unsent_since < 0 && to_host.len > to_host_sent) unsent_since = monotonic_ms();
}

/* An answer to `spawn` was queued: it goes out with the next flush, soon. */
static void note_answer(void) {
  if (answers_since < 0) answers_since = monotonic_ms();
}

/* Whether the events waiting are due: answers, old enough, or many. */
static int flush_due(void) {
  if (to_host.len == to_host_sent || write_blocked) return 0;
  return answers_since >= 0 || to_host.len - to_host_sent >= FLUSH_BYTES ||
         monotonic_ms() - unsent_since >= FLUSH_DELAY_MS;
}

/* Write what can be written now; stop when the host is gone. */
static void flush(void) {
  answers_since = -1;
  for (int round = 0; round < DRAIN_LIMIT && to_host_sent < to_host.len; round++) {
    ssize_t n = write(STDOUT_FILENO, to_host.data + to_host_sent, to_host.len - to_host_sent);
    if (n > 0) {
      to_host_sent += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      write_blocked = 1;
      break;
    } else {
      stop();
    }
  }
  if (to_host_sent == to_host.len) {
    to_host.len = 0;
    to_host_sent = 0;
    batch_open = 0;
    write_blocked = 0;
    unsent_since = -1;
  } else if (to_host_sent >= OUTPUT_HIGH) {
    memmove(to_host.data, to_host.data + to_host_sent, to_host.len - to_host_sent);
    to_host.len -= to_host_sent;
    to_host_sent = 0;
    batch_open = 0;
  }
}

/* SIGKILL every process group started (and not forgotten), and every child not reaped; exit. */
static void stop(void) {
  stopping = 1;
  for (size_t i = 0; i < ngroups; i++) kill(-groups[i], SIGKILL);
  for (size_t i = 0; i < nkids; i++)
    if (!kids[i]->exited) kill(kids[i]->pid, SIGKILL);
  _exit(0);
}

/* Tell the host (after the complete events queued, if it reads them) why, and stop. */
static void fatal(const char *what, int error) {
  if (!stopping) {
    stopping = 1;
    char line[512];
    int n = snprintf(line, sizeof line, "fatal\t%s%s%s\n", what, error != 0 ? ": " : "", error != 0 ? strerror(error) : "");
    /* Never in the middle of an event: up to the last complete one, then this line. */
    char *end = to_host.len > to_host_sent ? memrchr(to_host.data + to_host_sent, '\n', to_host.len - to_host_sent) : NULL;
    size_t complete = end != NULL ? (size_t)(end - to_host.data) + 1 : to_host_sent;
    for (int round = 0; round < 100 && to_host_sent < complete; round++) {
      ssize_t w = write(STDOUT_FILENO, to_host.data + to_host_sent, complete - to_host_sent);
      if (w <= 0) break;
      to_host_sent += (size_t)w;
    }
    if (to_host_sent == complete && n > 0 && (size_t)n < sizeof line) {
      ssize_t ignored = write(STDOUT_FILENO, line, (size_t)n);
      (void)ignored;
    }
  }
  stop();
}

/* ---- process groups */

static int group_index(pid_t pgid) {
  for (size_t i = 0; i < ngroups; i++)
    if (groups[i] == pgid) return (int)i;
  return -1;
}

static void group_add(pid_t pgid) {
  if (ngroups == groups_cap) {
    size_t cap = groups_cap > 0 ? groups_cap * 2 : 64;
    pid_t *grown = realloc(groups, cap * sizeof *grown);
    if (grown == NULL) fatal("out of memory", 0);
    groups = grown;
    groups_cap = cap;
  }
  groups[ngroups++] = pgid;
}

static void group_remove(int index) { groups[index] = groups[--ngroups]; }

/* ---- events */

static void event_end(void) { put_char('\n'); }

static void event_failed(unsigned long long id, int error, const char *file) {
  const char *name = errno_name(error);
  note_answer();
  put("failed\t");
  put_ull(id);
  put_char('\t');
  if (name != NULL) put(name);
  put("\tspawn ");
  put_escaped(file, strlen(file));
  put_char(' ');
  if (name != NULL) {
    put(name);
  } else {
    const char *text = strerror(error);
    put_escaped(text, strlen(text));
  }
  event_end();
}

/* One line of output (without its line break); `dropped` bytes of it were not kept. */
static void event_line(const struct child *c, int fd, const char *bytes, size_t n, unsigned long long dropped) {
  if (batch_open && batch_id == c->id && batch_fd == fd && batch_end == to_host.len && to_host.len > to_host_sent) {
    to_host.len -= 1; /* the \n: the line joins the previous `out` */
    put_char('\t');
  } else {
    put("out\t");
    put_ull(c->id);
    put(fd == 1 ? "\t1\t" : "\t2\t");
  }
  put_escaped(bytes, n);
  if (dropped > 0) {
    put(" [... ");
    put_ull(dropped);
    put(" more bytes of this line dropped]");
  }
  event_end();
  batch_open = 1;
  batch_id = c->id;
  batch_fd = fd;
  batch_end = to_host.len;
}

static void event_exit(const struct child *c, int status) {
  put("exit\t");
  put_ull(c->id);
  put_char('\t');
  if (WIFEXITED(status)) {
    put_ll(WEXITSTATUS(status));
    put_char('\t');
  } else {
    put_char('\t');
    put_ll(WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
  event_end();
}

static void event_id(const char *type, unsigned long long id) {
  put(type);
  put_ull(id);
  event_end();
}

/* ---- lines */

/* Bytes of the first `n` of `bytes` up to the last complete UTF-8 character. */
static size_t utf8_prefix(const unsigned char *bytes, size_t n) {
  if (n == 0) return 0;
  size_t lead = n - 1;
  for (int back = 0; back < 3 && lead > 0 && (bytes[lead] >> 6) == 2; back++) lead--;
  unsigned first = bytes[lead];
  size_t size = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + size > n ? lead : n;
}

/* Keep bytes of the unfinished line, up to max_line; count the rest. */
static void line_add(struct stream *s, const char *bytes, size_t n) {
  size_t room = max_line > s->held ? max_line - s->held : 0;
  size_t take = n < room ? n : room;
  if (take > 0) {
    if (s->held + take > s->cap) {
      size_t cap = s->cap > 0 ? s->cap : 256;
      while (cap < s->held + take) cap *= 2; /* bounded: held + take <= max_line */
      char *grown = realloc(s->line, cap);
      if (grown == NULL) fatal("out of memory", 0);
      s->line = grown;
      s->cap = cap;
    }
    memcpy(s->line + s->held, bytes, take);
    s->held += take;
  }
  s->dropped += n - take;
}

static void line_end(const struct child *c, struct stream *s, int fd) {
  size_t n = s->held;
  if (s->dropped > 0) {
    size_t whole = utf8_prefix((const unsigned char *)s->line, n);
    s->dropped += n - whole;
    n = whole;
  }
  event_line(c, fd, s->line != NULL ? s->line : "", n, s->dropped);
  s->held = 0;
  s->dropped = 0;
  if (s->cap > LINE_KEEP) {
    free(s->line);
    s->line = NULL;
    s->cap = 0;
  }
}

/* A chunk read from stream `fd` (1 or 2) of child `c`: relay its complete lines. */
static void stream_data(const struct child *c, struct stream *s, int fd, const char *bytes, size_t n) {
  size_t pos = 0;
  if (s->after_cr && n > 0) {
    s->after_cr = 0;
    if (bytes[0] == '\n') pos = 1;
  }
  while (pos < n) { /* each round consumes at least one byte */
    size_t stop_at = pos;
    while (stop_at < n && bytes[stop_at] != '\n' && bytes[stop_at] != '\r') stop_at++;
    if (stop_at == n) {
      line_add(s, bytes + pos, n - pos);
      break;
    }
    if (s->held == 0 && s->dropped == 0 && stop_at - pos <= max_line) {
      event_line(c, fd, bytes + pos, stop_at - pos, 0);
    } else {
      line_add(s, bytes + pos, stop_at - pos);
      line_end(c, s, fd);
    }
    if (bytes[stop_at] == '\r') {
      if (stop_at + 1 == n)
        s->after_cr = 1;
      else if (bytes[stop_at + 1] == '\n')
        stop_at++;
    }
    pos = stop_at + 1;
  }
}

/* ---- children */

static struct child *find_child(pid_t pid) {
  for (size_t i = 0; i < nkids; i++)
    if (kids[i]->pid == pid) return kids[i];
  return NULL;
}

/* Exited and both pipes ended: say whether the group is empty, and forget the child. */
static void child_done_if_finished(struct child *c) {
  if (!c->exited || c->streams[0].fd >= 0 || c->streams[1].fd >= 0) return;
  int index = group_index(c->pid);
  if (index >= 0 && kill(-c->pid, 0) < 0 && errno == ESRCH) {
    group_remove(index);
    event_id("empty\t", (unsigned long long)c->pid);
  }
  for (size_t i = 0; i < nkids; i++) {
    if (kids[i] == c) {
      kids[i] = kids[--nkids];
      break;
    }
  }
  if (batch_id == c->id) batch_open = 0;
  free(c->streams[0].line);
  free(c->streams[1].line);
  free(c);
}

/* Read once from a readable pipe of `c`. */
static void child_read(struct child *c, int which) {
  static char chunk[READ_CHUNK];
  struct stream *s = &c->streams[which];
  ssize_t n = read(s->fd, chunk, sizeof chunk);
  if (n > 0) {
    stream_data(c, s, which + 1, chunk, (size_t)n);
    return;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return;
  /* The end of this pipe (or an error reading it: the same for the host). */
  if (s->held > 0 || s->dropped > 0) line_end(c, s, which + 1);
  close(s->fd);
  s->fd = -1;
  if (c->streams[1 - which].fd < 0) event_id("closed\t", c->id);
  child_done_if_finished(c);
}

static void reap(void) {
  for (int round = 0; round < DRAIN_LIMIT; round++) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    struct child *c = find_child(pid);
    if (c == NULL) continue;
    c->exited = 1;
    event_exit(c, status);
    child_done_if_finished(c);
  }
}

/* ---- starting a process */

/* What the vfork child needs, all prepared before vfork (the child must not allocate). */
struct plan {
  const char *cwd; /* NULL: keep the current directory */
  char **candidates; /* paths to try in order, NULL-terminated */
  char **shell_argv; /* "/bin/sh", slot for the path, args..., NULL; shell_argv + 1 is argv */
  const char *file; /* argv[0] */
  char **envp;
  int out_w, err_w;
  pid_t spawner;
};

/* The vfork child: set up and exec, or store errno and exit. Only system calls here. */
static void __attribute__((noreturn, noinline)) child_exec(struct plan *p) {
  int error = 0;
  if (setsid() < 0) goto fail;
  if (use_pdeathsig) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) goto fail;
    /* The spawner died before the prctl: nobody would kill us later. */
    if (getppid() != p->spawner) _exit(127);
  }
  if (dup2(devnull, STDIN_FILENO) < 0 || dup2(p->out_w, STDOUT_FILENO) < 0 || dup2(p->err_w, STDERR_FILENO) < 0)
    goto fail;
  if (p->cwd != NULL && chdir(p->cwd) < 0) goto fail;
  if (sigprocmask(SIG_SETMASK, &child_mask, NULL) < 0) goto fail;
  char **argv = p->shell_argv + 1;
  int denied = 0;
  error = ENOENT;
  for (char **candidate = p->candidates; *candidate != NULL; candidate++) { /* bounded by the list */
    execve(*candidate, argv, p->envp);
    error = errno;
    if (error == ENOEXEC) {
      /* Not a binary nor a `#!` script: run it by the shell, as execvp does. */
      p->shell_argv[1] = *candidate;
      execve("/bin/sh", p->shell_argv, p->envp);
      p->shell_argv[1] = (char *)p->file;
      error = ENOEXEC;
    }
    if (error == EACCES) {
      denied = 1;
    } else if (error != ENOENT && error != ENOTDIR && error != ESTALE && error != ENODEV && error != ETIMEDOUT) {
      break;
    }
  }
  if (denied && (error == ENOENT || error == ENOTDIR || error == ESTALE || error == ENODEV || error == ETIMEDOUT))
    error = EACCES;
  child_errno = error != 0 ? error : ENOENT;
  _exit(127);
fail:
  child_errno = errno != 0 ? errno : EINVAL;
  _exit(127);
}

static const char *env_lookup(char **envp, const char *name) {
  size_t n = strlen(name);
  for (char **entry = envp; *entry != NULL; entry++)
    if (strncmp(*entry, name, n) == 0 && (*entry)[n] == '=') return *entry + n + 1;
  return NULL;
}

/* The paths execvp would try for `file`, in one allocation (NULL-terminated array, then the strings). */
static char **candidates_for(const char *file, char **envp) {
  if (strchr(file, '/') != NULL) {
    char **list = malloc(2 * sizeof *list);
    if (list == NULL) fatal("out of memory", 0);
    list[0] = (char *)file;
    list[1] = NULL;
    return list;
  }
  const char *path = env_lookup(envp, "PATH");
  if (path == NULL) path = "/usr/local/bin:/usr/bin:/bin";
  size_t file_len = strlen(file);
  size_t count = 1;
  for (const char *p = path; *p != '\0'; p++)
    if (*p == ':') count++;
  size_t size = (count + 1) * sizeof(char *) + strlen(path) + count * (file_len + 2);
  char **list = malloc(size);
  if (list == NULL) fatal("out of memory", 0);
  char *text = (char *)(list + count + 1);
  const char *dir = path;
  for (size_t i = 0; i < count; i++) {
    const char *end = strchr(dir, ':');
    size_t dir_len = end != NULL ? (size_t)(end - dir) : strlen(dir);
    list[i] = text;
    if (dir_len > 0) { /* an empty entry is the current directory: the file itself */
      memcpy(text, dir, dir_len);
      text += dir_len;
      *text++ = '/';
    }
    memcpy(text, file, file_len + 1);
    text += file_len + 1;
    dir = end != NULL ? end + 1 : dir + dir_len;
  }
  list[count] = NULL;
  return list;
}

static void start(unsigned long long id, const char *cwd, const char *file, char **args, size_t nargs) {
  if (file[0] == '\0') {
    event_failed(id, ENOENT, file);
    return;
  }
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) < 0) {
    event_failed(id, errno, file);
    return;
  }
  if (pipe2(err, O_CLOEXEC) < 0) {
    int error = errno;
    close(out[0]);
    close(out[1]);
    event_failed(id, error, file);
    return;
  }
  struct child *c = calloc(1, sizeof *c);
  char **shell_argv = malloc((nargs + 3) * sizeof *shell_argv);
  if (c == NULL || shell_argv == NULL) fatal("out of memory", 0);
  shell_argv[0] = "/bin/sh";
  shell_argv[1] = (char *)file;
  for (size_t i = 0; i < nargs; i++) shell_argv[i + 2] = args[i];
  shell_argv[nargs + 2] = NULL;
  struct plan plan = {
      .cwd = cwd,
      .candidates = candidates_for(file, env_current),
      .shell_argv = shell_argv,
      .file = file,
      .envp = env_current,
      .out_w = out[1],
      .err_w = err[1],
      .spawner = own_pid,
  };
  child_errno = 0;
  pid_t pid = vfork();
  if (pid == 0) child_exec(&plan);
  int vfork_error = errno;
  close(out[1]);
  close(err[1]);
  free(plan.candidates);
  free(shell_argv);
  int error = pid < 0 ? vfork_error : child_errno;
  if (error != 0) {
    close(out[0]);
    close(err[0]);
    free(c);
    if (pid > 0) {
      for (int round = 0; round < 100 && waitpid(pid, NULL, 0) < 0 && errno == EINTR; round++) {
      }
    }
    event_failed(id, error, file);
    return;
  }
  c->id = id;
  c->pid = pid;
  c->streams[0].fd = out[0];
  c->streams[1].fd = err[0];
  if (nkids == kids_cap) {
    size_t cap = kids_cap > 0 ? kids_cap * 2 : 64;
    struct child **grown = realloc(kids, cap * sizeof *grown);
    if (grown == NULL) fatal("out of memory", 0);
    kids = grown;
    kids_cap = cap;
  }
  kids[nkids++] = c;
  group_add(pid);
  note_answer();
  put("spawned\t");
  put_ull(id);
  put_char('\t');
  put_ll(pid);
  event_end();
}

/* ---- requests */

/* Undo the escapes of a field in place (NUL-terminated). */
static void unescape(char *field) {
  char *out = field;
  for (char *in = field; *in != '\0'; in++) {
    if (*in == '\\' && in[1] != '\0') {
      in++;
      *out++ = *in == 't' ? '\t' : *in == 'n' ? '\n' : *in == 'r' ? '\r' : *in;
    } else {
      *out++ = *in;
    }
  }
  *out = '\0';
}

static int parse_number(const char *text, unsigned long long limit, unsigned long long *value) {
  if (*text == '\0' || strlen(text) > 20) return 0;
  unsigned long long result = 0;
  for (const char *p = text; *p != '\0'; p++) {
    if (*p < '0' || *p > '9') return 0;
    unsigned digit = (unsigned)(*p - '0');
    if (result > (limit - digit) / 10) return 0;
    result = result * 10 + digit;
  }
  *value = result;
  return 1;
}

static void set_environment(char **fields, size_t count) {
  size_t size = 0;
  for (size_t i = 0; i < count; i++) size += strlen(fields[i]) + 1;
  char *block = malloc(size > 0 ? size : 1);
  char **ptrs = malloc((count + 1) * sizeof *ptrs);
  if (block == NULL || ptrs == NULL) fatal("out of memory", 0);
  char *text = block;
  for (size_t i = 0; i < count; i++) {
    size_t n = strlen(fields[i]) + 1;
    memcpy(text, fields[i], n);
    ptrs[i] = text;
    text += n;
  }
  ptrs[count] = NULL;
  free(env_block);
  free(env_ptrs);
  env_block = block;
  env_ptrs = ptrs;
  env_current = ptrs;
}

static char **fields;
static size_t fields_cap;

/* One request line (NUL-terminated, without its \n). */
static void handle_request(char *line, size_t len) {
  if (len == 0) return;
  size_t count = 1;
  for (size_t i = 0; i < len; i++)
    if (line[i] == '\t') count++;
  if (count > fields_cap) {
    char **grown = realloc(fields, count * sizeof *grown);
    if (grown == NULL) fatal("out of memory", 0);
    fields = grown;
    fields_cap = count;
  }
  size_t n = 0;
  fields[n++] = line;
  for (size_t i = 0; i < len; i++) {
    if (line[i] == '\t') {
      line[i] = '\0';
      fields[n++] = line + i + 1;
    }
  }
  for (size_t i = 0; i < n; i++) unescape(fields[i]);
  const char *type = fields[0];
  unsigned long long a, b;
  if (strcmp(type, "spawn") == 0) {
    if (n < 4 || !parse_number(fields[1], ULLONG_MAX, &a)) fatal("bad spawn request", 0);
    start(a, fields[2][0] != '\0' ? fields[2] : NULL, fields[3], fields + 4, n - 4);
  } else if (strcmp(type, "env") == 0) {
    set_environment(fields + 1, n - 1);
  } else if (strcmp(type, "forget") == 0) {
    if (n != 2 || !parse_number(fields[1], INT_MAX, &a)) fatal("bad forget request", 0);
    int index = group_index((pid_t)a);
    if (index >= 0) group_remove(index);
  } else if (strcmp(type, "signal") == 0) {
    if (n != 3 || !parse_number(fields[1], INT_MAX, &a) || !parse_number(fields[2], 128, &b))
      fatal("bad signal request", 0);
    if (a > 1 && group_index((pid_t)a) >= 0) kill(-(pid_t)a, (int)b);
  } else {
    fatal("unknown request", 0);
  }
}

static void read_requests(void) {
  buf_reserve(&from_host, READ_CHUNK + 1);
  ssize_t n = read(STDIN_FILENO, from_host.data + from_host.len, READ_CHUNK);
  if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return;
  if (n <= 0) stop(); /* the host closed our stdin: it is gone or lets us go */
  size_t scan = from_host.len;
  from_host.len += (size_t)n;
  size_t start_at = 0;
  for (;;) { /* bounded: each round moves scan past a \n */
    char *newline = memchr(from_host.data + scan, '\n', from_host.len - scan);
    if (newline == NULL) break;
    *newline = '\0';
    handle_request(from_host.data + start_at, (size_t)(newline - (from_host.data + start_at)));
    start_at = scan = (size_t)(newline - from_host.data) + 1;
    /* A long batch of spawns: the host gets the first answers without waiting for the last. */
    note_unsent();
    if (answers_since >= 0 && monotonic_ms() - answers_since >= ANSWER_DELAY_MS && !write_blocked) flush();
  }
  if (start_at > 0) {
    memmove(from_host.data, from_host.data + start_at, from_host.len - start_at);
    from_host.len -= start_at;
  }
  if (from_host.len > REQUEST_LIMIT) fatal("request too long", 0);
}

/* ---- signals */

static void read_signals(void) {
  struct signalfd_siginfo infos[16];
  for (int round = 0; round < DRAIN_LIMIT; round++) {
    ssize_t n = read(signal_fd, infos, sizeof infos);
    if (n <= 0) return;
    for (size_t i = 0; i < (size_t)n / sizeof infos[0]; i++) {
      if (infos[i].ssi_signo != SIGCHLD) stop();
    }
    reap();
  }
}

/* ---- main loop */

struct pipe_ref {
  struct child *child;
  int which; /* 0: stdout, 1: stderr */
};

static void loop(void) {
  struct pollfd *polled = NULL;
  struct pipe_ref *owners = NULL; /* whose pipe polled[i] is */
  size_t polled_cap = 0;
  for (;;) { /* until the host is gone (stop() exits) */
    size_t need = 3 + 2 * nkids;
    if (need > polled_cap) {
      size_t cap = need * 2;
      struct pollfd *grown = realloc(polled, cap * sizeof *grown);
      if (grown == NULL) fatal("out of memory", 0);
      polled = grown;
      struct pipe_ref *grown_owners = realloc(owners, cap * sizeof *grown_owners);
      if (grown_owners == NULL) fatal("out of memory", 0);
      owners = grown_owners;
      polled_cap = cap;
    }
    int backed_up = pending() > OUTPUT_HIGH;
    size_t n = 0;
    polled[n++] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
    polled[n++] = (struct pollfd){.fd = backed_up ? -1 : STDIN_FILENO, .events = POLLIN};
    polled[n++] = (struct pollfd){.fd = write_blocked ? STDOUT_FILENO : -1, .events = POLLOUT};
    size_t first_pipe = n;
    if (!backed_up) {
      for (size_t i = 0; i < nkids; i++) {
        for (int which = 0; which < 2; which++) {
          if (kids[i]->streams[which].fd < 0) continue;
          owners[n] = (struct pipe_ref){kids[i], which};
          polled[n++] = (struct pollfd){.fd = kids[i]->streams[which].fd, .events = POLLIN};
        }
      }
    }
    int timeout = parent_check_ms;
    if (pending() > 0 && !write_blocked) {
      note_unsent();
      long long left = FLUSH_DELAY_MS - (monotonic_ms() - unsent_since);
      timeout = left > 0 ? (int)left : 0;
    }
    int ready = poll(polled, (nfds_t)n, timeout);
    if (ready < 0 && errno != EINTR) fatal("poll", errno);
    if (getppid() != parent_pid) stop();
    if (ready > 0 && polled[2].revents != 0) write_blocked = 0;
    if (ready <= 0) {
      if (flush_due()) flush();
      continue;
    }
    if (polled[0].revents != 0) read_signals();
    if (polled[1].revents != 0) read_requests();
    /* A child whose both pipes end in this round is freed at the second: its entries are adjacent. */
    for (size_t i = first_pipe; i < n; i++) {
      if (polled[i].revents == 0) continue;
      child_read(owners[i].child, owners[i].which);
      if (pending() > OUTPUT_HIGH) break;
    }
    note_unsent();
    if (flush_due()) flush();
  }
}

static int option_value(const char *arg, const char *name, long long low, long long high, long long *value) {
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0 || arg[n] != '=') return 0;
  unsigned long long parsed;
  if (!parse_number(arg + n + 1, (unsigned long long)high, &parsed) || (long long)parsed < low) {
    fprintf(stderr, "se-spawner: bad value in %s\n", arg);
    exit(2);
  }
  *value = (long long)parsed;
  return 1;
}

int main(int argc, char **argv) {
  long long value;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--version") == 0) {
      printf("se-spawner protocol %d\n", PROTOCOL_VERSION);
      return 0;
    } else if (option_value(argv[i], "--parent", 1, INT_MAX, &value)) {
      parent_pid = (pid_t)value;
    } else if (option_value(argv[i], "--max-line-bytes", 1, 1 << 30, &value)) {
      max_line = (size_t)value;
    } else if (option_value(argv[i], "--parent-check-ms", 1, 60000, &value)) {
      parent_check_ms = (int)value;
    } else if (strcmp(argv[i], "--no-pdeathsig") == 0) {
      use_pdeathsig = 0;
    } else {
      fprintf(stderr,
              "usage: se-spawner [--parent=PID] [--max-line-bytes=N] [--parent-check-ms=N] [--no-pdeathsig] | --version\n");
      return 2;
    }
  }
  own_pid = getpid();
  if (parent_pid == 0) parent_pid = getppid();
  /* A host given a higher priority (a negative nice value, e.g. systemd's Nice=) keeps it for
     itself: its processes run at the usual priority, so a burst of them cannot take the CPU
     from it. Only ever raised to 0, which needs no privilege; a positive value is kept. */
  errno = 0;
  int nice_value = getpriority(PRIO_PROCESS, 0);
  if (errno == 0 && nice_value < 0) (void)setpriority(PRIO_PROCESS, 0, 0);

  /* Standard descriptors that are closed would be reused by pipes. */
  for (int fd = 0; fd < 3; fd++) {
    if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd) return 1;
  }
  /* Children start with default dispositions and an empty mask, whatever we inherited. */
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
  }
  sigemptyset(&child_mask);
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  sigset_t blocked = handled;
  sigaddset(&blocked, SIGPIPE); /* a write to a gone host fails with EPIPE instead */
  if (sigprocmask(SIG_BLOCK, &blocked, NULL) < 0) fatal("sigprocmask", errno);
  signal_fd = signalfd(-1, &handled, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0) fatal("signalfd", errno);
  /* SIGTERM (read from signal_fd) when the host dies, however it dies. */
  if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0) fatal("prctl", errno);
  /* It may have died before the prctl. */
  if (getppid() != parent_pid) stop();
  devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) fatal("/dev/null", errno);
  int flags = fcntl(STDOUT_FILENO, F_GETFL);
  if (flags < 0 || fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK) < 0) fatal("stdout", errno);
  env_current = environ;

  put(use_pdeathsig ? "ready\t1\n" : "ready\t0\n");
  flush();
  loop();
  return 0;
}
