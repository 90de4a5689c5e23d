"""Each layer holds on its own (defence in depth), and the seccomp program is sound.

With seccomp disabled, Landlock alone still refuses TCP (EACCES), abstract
sockets and signals leaving the sandbox (EPERM, its scoping).  With Landlock
disabled, seccomp alone still refuses socket creation and exec.  The BPF
program is checked structurally for both supported architectures.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import struct
import sys

import pytest
from _sandbox_support import SandboxEnv

from tkelectron.common._sandbox_policy import probe
from tkelectron.renderer._privileges import RENDERER_UID_BASE
from tkelectron.renderer._seccomp import SYSCALLS, build_filter, denied_syscalls

PROBE = probe()


def _refused(result: dict[str, object], error: str, number: int) -> None:
    assert result["phase"] == "attempt", result
    assert not result["ok"], f"got through: {result}"
    assert (result["error"], result["errno"]) == (error, number), result


@pytest.mark.skipif(not PROBE["landlock"]["net"], reason="Landlock here has no TCP rights (ABI < 4)")
def test_landlock_alone_refuses_tcp_connect(sandbox_env: SandboxEnv) -> None:
    _refused(sandbox_env.run("tcp4_connect", disable=["seccomp"]), "PermissionError", errno.EACCES)


@pytest.mark.skipif(not PROBE["landlock"]["net"], reason="Landlock here has no TCP rights (ABI < 4)")
def test_landlock_alone_refuses_tcp_bind(sandbox_env: SandboxEnv) -> None:
    _refused(sandbox_env.run("tcp4_bind", disable=["seccomp"]), "PermissionError", errno.EACCES)


@pytest.mark.skipif(not PROBE["landlock"]["scope"], reason="Landlock here has no scoping (ABI < 6)")
def test_landlock_alone_refuses_abstract_unix_connect(sandbox_env: SandboxEnv) -> None:
    _refused(sandbox_env.run("unix_abstract_connect", disable=["seccomp"]), "PermissionError", errno.EPERM)


@pytest.mark.skipif(not PROBE["landlock"]["scope"], reason="Landlock here has no scoping (ABI < 6)")
def test_landlock_alone_refuses_signals_out_of_the_sandbox(sandbox_env: SandboxEnv) -> None:
    _refused(sandbox_env.run("kill_victim", disable=["seccomp"]), "PermissionError", errno.EPERM)
    assert sandbox_env.victim.poll() is None


@pytest.mark.skipif(not PROBE["seccomp"], reason="no seccomp here")
@pytest.mark.parametrize("attempt", ["tcp4_connect", "udp4_send", "unix_path_connect", "subprocess_run"])
def test_seccomp_alone_refuses(sandbox_env: SandboxEnv, attempt: str) -> None:
    _refused(sandbox_env.run(attempt, disable=["landlock"]), "PermissionError", errno.EPERM)


@pytest.mark.skipif(not PROBE["seccomp"], reason="no seccomp here")
def test_clone3_says_not_implemented_so_glibc_falls_back_to_clone(sandbox_env: SandboxEnv) -> None:
    _refused(sandbox_env.run("clone3"), "OSError", errno.ENOSYS)
    _refused(sandbox_env.run("clone3", mode=False), "OSError", errno.EINVAL)  # the kernel's own answer


def _has_cap_sys_resource() -> bool:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) & (1 << 24))  # CAP_SYS_RESOURCE
    return False


@pytest.mark.skipif(not _has_cap_sys_resource(), reason="raising a hard limit needs CAP_SYS_RESOURCE")
def test_a_privileged_renderer_could_raise_rlimits_back_without_seccomp(sandbox_env: SandboxEnv) -> None:
    if sandbox_env.user.uid is not None:
        pytest.skip("nobody has no CAP_SYS_RESOURCE")
    result = sandbox_env.run("raise_fsize_limit", disable=["seccomp"])
    assert result["ok"], result  # which is why the filter refuses setrlimit/prlimit64


x86_64_only = pytest.mark.skipif(os.uname().machine != "x86_64", reason="x86_64 compat ABIs")


@x86_64_only
@pytest.mark.skipif(not PROBE["seccomp"], reason="no seccomp here")
def test_a_32_bit_syscall_kills_the_process(sandbox_env: SandboxEnv) -> None:
    # The filter's numbers mean other calls in the i386 table: never evaluate them.
    control = sandbox_env.run("i386_getpid", mode=False)
    if not control["ok"]:
        pytest.skip(f"no i386 emulation in this kernel: {control}")
    result = sandbox_env.run("i386_getpid")
    assert result["phase"] == "died" and result["returncode"] == -signal.SIGSYS, result


@x86_64_only
@pytest.mark.skipif(not PROBE["seccomp"], reason="no seccomp here")
def test_an_x32_syscall_kills_the_process(sandbox_env: SandboxEnv) -> None:
    result = sandbox_env.run("x32_getpid")
    assert result["phase"] == "died" and result["returncode"] == -signal.SIGSYS, result


@pytest.mark.parametrize("arch", sorted(SYSCALLS))
def test_filter_program_is_well_formed(arch: str) -> None:
    program = build_filter(arch, 4242)
    assert len(program) % 8 == 0
    count = len(program) // 8
    assert count < 4096  # BPF_MAXINSNS
    instructions = [struct.unpack_from("=HBBI", program, 8 * i) for i in range(count)]
    assert instructions[0] == (0x20, 0, 0, 4)  # first load the architecture
    for index, (code, jt, jf, _) in enumerate(instructions):
        if code & 0x07 == 0x05:  # jumps stay inside the program
            assert index + 1 + max(jt, jf) < count
    assert instructions[-1][0] == 0x06  # ends with a return
    returns = {k for code, _, _, k in instructions if code == 0x06}
    assert returns == {0x7FFF0000, 0x00050000 | errno.EPERM, 0x00050000 | errno.ENOSYS, 0x80000000}
    assert any(code == 0x15 and k == 4242 for code, _, _, k in instructions)  # our pid is baked in


@pytest.mark.parametrize("arch", sorted(SYSCALLS))
def test_every_denied_syscall_has_a_number(arch: str) -> None:
    denied = denied_syscalls(arch)
    for name in ("execve", "execveat", "socket", "ptrace", "unshare", "bpf", "io_uring_setup", "chmod"):
        if arch == "aarch64" and name == "chmod":
            continue  # aarch64 only has fchmodat
        assert name in denied
    numbers = [SYSCALLS[arch][name] for name in denied]
    assert len(numbers) == len(set(numbers)), "two names share a number: a table is wrong"


SYSTEM_PYTHON = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
root_only = pytest.mark.skipif(not PROBE["root"], reason="the suite runs as an ordinary user: nothing to drop")


@root_only
def test_a_root_renderer_that_can_read_its_allow_list_runs_unprivileged(sandbox_env: SandboxEnv) -> None:
    if sandbox_env.user.uid is not None or not os.path.exists(SYSTEM_PYTHON):
        pytest.skip("needs the root variant and a system Python anyone can read")
    result = sandbox_env.run("import_app_module", interpreter=SYSTEM_PYTHON)
    assert result["ok"] and result["value"] == ["from appmod", "from apppkg.sub"], result
    privileges = result["report"]["layers"]["privileges"]
    own = privileges["uid"][0]
    assert own >= RENDERER_UID_BASE and privileges["uid"] == [own] * 3 and privileges["gid"] == [own] * 3
    assert privileges["unprivileged"] is True and privileges["why_root"] is None
    assert (privileges["capabilities"], privileges["bounding_set"], privileges["groups"]) == (0, 0, [])


@root_only
def test_a_root_renderer_that_could_not_read_as_another_uid_keeps_euid_0_without_capabilities(
    sandbox_env: SandboxEnv,
) -> None:
    if sandbox_env.user.uid is not None:
        pytest.skip("the child starts as nobody")
    result = sandbox_env.run("read_app_file")
    assert result["ok"], result  # its imports and reads still work
    privileges = result["report"]["layers"]["privileges"]
    readable_by_all = all(os.access(p, os.R_OK) for p in sys.path if p.startswith("/root"))
    if readable_by_all:
        pytest.skip("this Python is readable by any uid here")
    assert privileges["uid"][1:] == [0, 0] and privileges["uid"][0] >= RENDERER_UID_BASE
    assert privileges["unprivileged"] is False and "could not read" in privileges["why_root"]
    assert (privileges["capabilities"], privileges["bounding_set"]) == (0, 0)


@root_only
@pytest.mark.parametrize("attempt", ["interface_flags_ioctl", "sched_fifo_self", "sched_setattr_fifo_self"])
def test_dropped_capabilities_alone_refuse_what_root_could(sandbox_env: SandboxEnv, attempt: str) -> None:
    # Without seccomp, the kernel's own capability checks refuse: the drop is real.
    if sandbox_env.user.uid is not None:
        pytest.skip("nobody never had these capabilities")
    _refused(sandbox_env.run(attempt, disable=["seccomp"]), "PermissionError", errno.EPERM)
    control = sandbox_env.run(attempt, disable=["seccomp", "privileges", "rlimits"])
    assert control["ok"], control


@root_only
def test_without_seccomp_a_kept_saved_uid_0_could_be_taken_back(sandbox_env: SandboxEnv) -> None:
    # Which is why the filter refuses every set*uid call after lockdown.
    if sandbox_env.user.uid is not None:
        pytest.skip("nobody has no saved uid 0")
    result = sandbox_env.run("setuid_root", disable=["seccomp"])
    assert result["ok"] and result["value"] == [0, 0, 0], result


@root_only
def test_root_of_a_user_namespace_that_cannot_take_its_own_uid_still_drops_every_capability(
    sandbox_env: SandboxEnv,
) -> None:
    # A rootless container's root: `unshare -Ur` maps uid 0 alone, so the
    # renderer's own uid does not exist there. It stays uid 0, says why, and
    # keeps no capability; the thread limit is not applied (and reported).
    if sandbox_env.user.uid is not None or shutil.which("unshare") is None:
        pytest.skip("needs the root variant and util-linux's unshare")
    result = sandbox_env.run("state", prefix=["unshare", "--user", "--map-root-user"])
    assert result["ok"], result
    privileges = result["report"]["layers"]["privileges"]
    assert privileges, result["report"]
    assert privileges["uid"] == [0, 0, 0] and privileges["own_uid"] is False
    assert "cannot be taken here" in privileges["why_root"]
    assert (privileges["capabilities"], privileges["bounding_set"]) == (0, 0)
    assert result["value"]["capabilities"] == 0 and result["value"]["bounding_set"] == 0
    rlimits = result["report"]["layers"]["rlimits"]
    assert rlimits["threads"] is None and rlimits["threads_unlimited_because"]
