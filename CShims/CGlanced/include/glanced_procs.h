#ifndef GLANCED_PROCS_H
#define GLANCED_PROCS_H

/* The process scan: libproc2's PIDS_VAL accessors are function-like macros that Swift cannot import,
   so the reap-and-copy loop lives here and fills a flat array of plain structs in one call. The
   caller owns every buffer (rows, string arena) and reuses it from sample to sample.

   A sample is three calls:
     1. glanced_procs_reap     reaps every process (not threads) through libproc2: stat-derived fields;
     2. glanced_procs_copy     copies the reaped processes into the caller's rows (a name that libproc2
                               masked is read again from /proc/PID/comm);
     3. glanced_procs_details  reads /proc/PID/cmdline and /proc/PID/io for the rows the caller marks
                               (the caller skips kernel threads and cmdlines it already knows).
   No policy lives here: no caching, no formatting, no allocation beyond the libproc2 context. */

#include <stddef.h>
#include <stdint.h>

/// Row flags. `KTHREAD` comes from the scan; `WANT_*` are set by the caller before
/// `glanced_procs_details`; the others are its results.
enum {
    /// A kernel thread (`PF_KTHREAD` in `/proc/PID/stat` flags): no cmdline, no io accounting.
    GLANCED_PROC_KTHREAD = 1u << 0,
    /// Caller: read `/proc/PID/io`.
    GLANCED_PROC_WANT_IO = 1u << 1,
    /// Caller: read `/proc/PID/cmdline` into the arena.
    GLANCED_PROC_WANT_CMDLINE = 1u << 2,
    /// `io_read_bytes` / `io_write_bytes` hold this sample's values.
    GLANCED_PROC_IO_READ = 1u << 3,
    /// `/proc/PID/io` was refused (EACCES / EPERM): the io fields are zero.
    GLANCED_PROC_IO_DENIED = 1u << 4,
    /// `cmdline_offset` / `cmdline_length` hold the arguments, NULs turned into spaces.
    GLANCED_PROC_CMDLINE_READ = 1u << 5,
    /// The process exited between the reap and the detail reads.
    GLANCED_PROC_VANISHED = 1u << 6,
};

/// Longest process name kept, NUL included (the kernel's stat `comm` is at most 64 bytes for
/// workqueue workers and kernel threads with long names, 16 otherwise).
#define GLANCED_PROC_COMM_SIZE 64

/// One process, as the scan sees it. Plain data: no pointers.
typedef struct glanced_proc_row {
    /// User-mode CPU time, clock ticks (`utime`).
    uint64_t utime;
    /// Kernel-mode CPU time, clock ticks (`stime`).
    uint64_t stime;
    /// Start time, clock ticks after boot (`starttime`): with the pid, it identifies the process.
    uint64_t start_time;
    /// Resident set size, bytes (`rss` pages × page size).
    uint64_t rss_bytes;
    /// Virtual memory size, bytes (`vsize`).
    uint64_t vms_bytes;
    /// `read_bytes` of `/proc/PID/io` (valid with `GLANCED_PROC_IO_READ`).
    uint64_t io_read_bytes;
    /// `write_bytes` of `/proc/PID/io` (valid with `GLANCED_PROC_IO_READ`).
    uint64_t io_write_bytes;
    /// Where the stack starts (`startstack`): address-space randomisation makes it new at every
    /// `exec`, so with the pid and start time it tells whether the cmdline can have changed. 0 when
    /// the kernel hides it (no ptrace access).
    uint64_t stack_start;
    /// Where the cmdline starts in the arena (valid with `GLANCED_PROC_CMDLINE_READ`).
    uint64_t cmdline_offset;
    /// Its length in bytes: the argv NUL separators are turned into spaces, trailing NULs removed.
    uint32_t cmdline_length;
    /// Effective user id (the owner of `/proc/PID`).
    uint32_t euid;
    /// Process id.
    int32_t pid;
    /// Parent process id.
    int32_t ppid;
    /// Nice value, -20…19.
    int32_t nice;
    /// Number of threads (`num_threads`).
    int32_t threads;
    /// The CPU the process last ran on (`processor`).
    int32_t processor;
    /// `GLANCED_PROC_*` flags.
    uint32_t flags;
    /// The kernel state letter: R S D Z T t X x I K W P.
    char state;
    /// The process name (`comm`) as the kernel has it, NUL-terminated: any bytes but NUL.
    char comm[GLANCED_PROC_COMM_SIZE];
} glanced_proc_row;

/// A libproc2 pids context plus a directory handle on `/proc`. Owned by one thread at a time.
typedef struct glanced_procs glanced_procs;

/// Creates a scanner. Returns NULL with `errno` set on failure.
///
/// The corresponding libproc2 call is `procps_pids_new`.
glanced_procs *glanced_procs_new(void);

/// Releases a scanner (NULL is accepted).
void glanced_procs_free(glanced_procs *procs);

/// Reaps every process (`PIDS_FETCH_TASKS_ONLY`). The data stays inside the scanner until the next reap.
///
/// Returns the number of processes, or a negative errno. The corresponding libproc2 call is
/// `procps_pids_reap`.
int glanced_procs_reap(glanced_procs *procs);

/// Copies the processes of the last reap into `rows[0..<count]`; `count` is at most what the reap
/// returned. `flags` of each row is set to `GLANCED_PROC_KTHREAD` or 0. `comm` holds the kernel's bytes,
/// not libproc2's masked copy of them (control bytes as '.' or '?', bytes from 0x80 up as '?'): a name with
/// '.' or '?' in it is read again from `/proc/PID/comm`. It may thus hold control bytes and invalid UTF-8.
void glanced_procs_copy(const glanced_procs *procs, glanced_proc_row *rows, int count);

/// Reads the cmdline and io of the rows, from `start`, that ask for them with `GLANCED_PROC_WANT_*`.
///
/// Cmdlines are appended to `arena` at `*arena_used`, which is advanced. When the arena has no room
/// left for a row's cmdline, the call stops before that row and returns its index: grow the arena
/// (keeping its contents) and call again from there. Returns `count` when every row is done.
/// A process that has exited gets `GLANCED_PROC_VANISHED`; a refused io read `GLANCED_PROC_IO_DENIED`.
int glanced_procs_details(const glanced_procs *procs, glanced_proc_row *rows, int start, int count,
                          char *arena, size_t arena_capacity, size_t *arena_used);

#endif
