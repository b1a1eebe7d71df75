#include "CGlanced.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

/* PF_KTHREAD in the `flags` field of /proc/PID/stat (include/linux/sched.h). */
#define GLANCED_PF_KTHREAD 0x00200000ul

/* What the reap asks libproc2 for: all of it comes from /proc/PID/stat and the stat() of /proc/PID,
   never from /proc/PID/status (no PIDS_VM_* items). The order is the index into each stack. */
enum glanced_item_index {
    ITEM_PID, ITEM_PPID, ITEM_STATE, ITEM_NICE, ITEM_UTIME, ITEM_STIME, ITEM_START, ITEM_RSS,
    ITEM_VSIZE, ITEM_EUID, ITEM_COMM, ITEM_THREADS, ITEM_FLAGS, ITEM_STACK, ITEM_PROCESSOR, ITEM_COUNT
};

static enum pids_item glanced_items[ITEM_COUNT] = {
    [ITEM_PID] = PIDS_ID_PID,
    [ITEM_PPID] = PIDS_ID_PPID,
    [ITEM_STATE] = PIDS_STATE,
    [ITEM_NICE] = PIDS_NICE,
    [ITEM_UTIME] = PIDS_TICS_USER,
    [ITEM_STIME] = PIDS_TICS_SYSTEM,
    [ITEM_START] = PIDS_TICS_BEGAN,
    [ITEM_RSS] = PIDS_RSS,
    [ITEM_VSIZE] = PIDS_VSIZE_BYTES,
    [ITEM_EUID] = PIDS_ID_EUID,
    [ITEM_COMM] = PIDS_CMD,
    [ITEM_THREADS] = PIDS_NLWP,
    [ITEM_FLAGS] = PIDS_FLAGS,
    [ITEM_STACK] = PIDS_ADDR_STACK_START,
    [ITEM_PROCESSOR] = PIDS_PROCESSOR,
};

struct glanced_procs {
    struct pids_info *info;
    struct pids_fetch *fetch; /* the last reap; owned by libproc2 until the next one */
    int count;
    int proc_fd; /* /proc, for openat */
    uint64_t page_size;
};

glanced_procs *glanced_procs_new(void) {
    glanced_procs *procs = calloc(1, sizeof *procs);
    if (procs == NULL) return NULL;
    procs->proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (procs->proc_fd < 0) {
        int saved = errno;
        free(procs);
        errno = saved;
        return NULL;
    }
    int status = procps_pids_new(&procs->info, glanced_items, ITEM_COUNT);
    if (status < 0) {
        close(procs->proc_fd);
        free(procs);
        errno = -status;
        return NULL;
    }
    long page = sysconf(_SC_PAGESIZE);
    procs->page_size = page > 0 ? (uint64_t)page : 4096;
    return procs;
}

void glanced_procs_free(glanced_procs *procs) {
    if (procs == NULL) return;
    if (procs->info != NULL) procps_pids_unref(&procs->info);
    close(procs->proc_fd);
    free(procs);
}

int glanced_procs_reap(glanced_procs *procs) {
    errno = 0;
    procs->fetch = procps_pids_reap(procs->info, PIDS_FETCH_TASKS_ONLY);
    if (procs->fetch == NULL) {
        procs->count = 0;
        return errno != 0 ? -errno : -EIO;
    }
    procs->count = procs->fetch->counts->total;
    return procs->count;
}

/* Reads a whole file into buffer[0..<capacity]: the length, or -errno (defined below). */
static ssize_t glanced_read_at(int dir_fd, const char *path, char *buffer, size_t capacity);
static void glanced_proc_path(char path[32], int32_t pid, const char *name);

/* libproc2 hands the name over masked: in the C locale every control byte becomes '.' and every byte
   from 0x80 up '?' (so a UTF-8 name such as "café" reads "caf??"); in a UTF-8 one, control
   characters and invalid sequences become '?'. A name with either character in it is read again,
   as the kernel has it, from /proc/PID/comm (the name and a newline); it stays as it was when that
   fails. The caller repairs invalid UTF-8. */
static void glanced_read_comm(const glanced_procs *procs, glanced_proc_row *row) {
    char path[32];
    char text[GLANCED_PROC_COMM_SIZE + 1];
    glanced_proc_path(path, row->pid, "comm");
    ssize_t length = glanced_read_at(procs->proc_fd, path, text, sizeof text);
    if (length <= 0 || text[length - 1] != '\n') return; /* gone, refused, or cut short */
    length--;
    if ((size_t)length > GLANCED_PROC_COMM_SIZE - 1) return;
    for (ssize_t at = 0; at < length; at++) {
        if (text[at] == '\0') return;
    }
    memcpy(row->comm, text, (size_t)length);
    row->comm[length] = '\0';
}

void glanced_procs_copy(const glanced_procs *procs, glanced_proc_row *rows, int count) {
    if (count > procs->count) count = procs->count;
    for (int i = 0; i < count; i++) {
        const struct pids_stack *stack = procs->fetch->stacks[i];
        glanced_proc_row *row = &rows[i];
        row->pid = PIDS_VAL(ITEM_PID, s_int, stack, procs->info);
        row->ppid = PIDS_VAL(ITEM_PPID, s_int, stack, procs->info);
        row->state = PIDS_VAL(ITEM_STATE, s_ch, stack, procs->info);
        row->nice = PIDS_VAL(ITEM_NICE, s_int, stack, procs->info);
        row->utime = PIDS_VAL(ITEM_UTIME, ull_int, stack, procs->info);
        row->stime = PIDS_VAL(ITEM_STIME, ull_int, stack, procs->info);
        row->start_time = PIDS_VAL(ITEM_START, ull_int, stack, procs->info);
        row->rss_bytes = (uint64_t)PIDS_VAL(ITEM_RSS, ul_int, stack, procs->info) * procs->page_size;
        row->vms_bytes = PIDS_VAL(ITEM_VSIZE, ul_int, stack, procs->info);
        row->euid = PIDS_VAL(ITEM_EUID, u_int, stack, procs->info);
        row->threads = PIDS_VAL(ITEM_THREADS, s_int, stack, procs->info);
        row->processor = PIDS_VAL(ITEM_PROCESSOR, s_int, stack, procs->info);
        row->stack_start = PIDS_VAL(ITEM_STACK, ul_int, stack, procs->info);
        unsigned long kflags = PIDS_VAL(ITEM_FLAGS, ul_int, stack, procs->info);
        row->flags = (kflags & GLANCED_PF_KTHREAD) ? GLANCED_PROC_KTHREAD : 0;
        row->io_read_bytes = 0;
        row->io_write_bytes = 0;
        row->cmdline_offset = 0;
        row->cmdline_length = 0;
        const char *comm = PIDS_VAL(ITEM_COMM, str, stack, procs->info);
        size_t length = 0;
        int masked = 0;
        if (comm != NULL) {
            while (length < GLANCED_PROC_COMM_SIZE - 1 && comm[length] != '\0') {
                if (comm[length] == '?' || comm[length] == '.') masked = 1;
                length++;
            }
            memcpy(row->comm, comm, length);
        }
        row->comm[length] = '\0';
        if (masked) glanced_read_comm(procs, row);
    }
}

/* "PID/NAME" relative to /proc, without snprintf. */
static void glanced_proc_path(char path[32], int32_t pid, const char *name) {
    char digits[12];
    int count = 0;
    uint32_t value = pid > 0 ? (uint32_t)pid : 0;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    int at = 0;
    while (count > 0) path[at++] = digits[--count];
    path[at++] = '/';
    while (*name != '\0') path[at++] = *name++;
    path[at] = '\0';
}

/* Whether an errno means the process is gone rather than hidden from us. */
static int glanced_vanished(int error) {
    return error == ENOENT || error == ESRCH;
}

/* Reads a whole file into buffer[0..<capacity]. Returns the length, or -errno; a result equal to
   `capacity` means the file may be longer. One read() when the file fits, as libproc2 does. */
static ssize_t glanced_read_at(int dir_fd, const char *path, char *buffer, size_t capacity) {
    int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    size_t length = 0;
    while (length < capacity) {
        ssize_t got = read(fd, buffer + length, capacity - length);
        if (got < 0) {
            if (errno == EINTR) continue;
            int saved = errno;
            close(fd);
            return -saved;
        }
        if (got == 0) break;
        length += (size_t)got;
        if (length < capacity) break; /* a short read: /proc files come whole */
    }
    close(fd);
    return (ssize_t)length;
}

/* The number after "name: " on the line that starts with `name`, 0 when absent. */
static uint64_t glanced_io_field(const char *text, size_t length, const char *name, size_t name_length) {
    size_t at = 0;
    while (at < length) {
        if (length - at > name_length && memcmp(text + at, name, name_length) == 0) {
            at += name_length;
            while (at < length && (text[at] == ' ' || text[at] == ':')) at++;
            uint64_t value = 0;
            while (at < length && text[at] >= '0' && text[at] <= '9') value = value * 10 + (uint64_t)(text[at++] - '0');
            return value;
        }
        while (at < length && text[at] != '\n') at++;
        at++;
    }
    return 0;
}

static void glanced_read_io(const glanced_procs *procs, glanced_proc_row *row) {
    char path[32];
    char text[512];
    glanced_proc_path(path, row->pid, "io");
    ssize_t length = glanced_read_at(procs->proc_fd, path, text, sizeof text);
    if (length < 0) {
        if (glanced_vanished((int)-length)) row->flags |= GLANCED_PROC_VANISHED;
        else row->flags |= GLANCED_PROC_IO_DENIED;
        return;
    }
    row->io_read_bytes = glanced_io_field(text, (size_t)length, "read_bytes", 10);
    row->io_write_bytes = glanced_io_field(text, (size_t)length, "write_bytes", 11);
    row->flags |= GLANCED_PROC_IO_READ;
}

/* Smallest free arena space worth trying a cmdline read in: most cmdlines are far shorter. */
#define GLANCED_CMDLINE_MIN_ROOM 4096

int glanced_procs_details(const glanced_procs *procs, glanced_proc_row *rows, int start, int count,
                          char *arena, size_t arena_capacity, size_t *arena_used) {
    for (int i = start; i < count; i++) {
        glanced_proc_row *row = &rows[i];
        if (row->flags & GLANCED_PROC_WANT_CMDLINE) {
            size_t used = *arena_used;
            if (arena_capacity < used || arena_capacity - used < GLANCED_CMDLINE_MIN_ROOM) return i;
            size_t room = arena_capacity - used;
            char path[32];
            glanced_proc_path(path, row->pid, "cmdline");
            ssize_t length = glanced_read_at(procs->proc_fd, path, arena + used, room);
            if (length < 0) {
                if (glanced_vanished((int)-length)) {
                    row->flags |= GLANCED_PROC_VANISHED;
                    continue;
                }
                /* Unreadable (hidepid): no cmdline this time. */
            } else {
                if ((size_t)length == room) return i; /* may be longer than the room left */
                char *text = arena + used;
                size_t end = (size_t)length;
                while (end > 0 && text[end - 1] == '\0') end--;
                for (size_t at = 0; at < end; at++) {
                    if (text[at] == '\0') text[at] = ' ';
                }
                row->cmdline_offset = used;
                row->cmdline_length = (uint32_t)end;
                row->flags |= GLANCED_PROC_CMDLINE_READ;
                *arena_used = used + end;
            }
        }
        if (row->flags & GLANCED_PROC_WANT_IO) glanced_read_io(procs, row);
    }
    return count;
}
