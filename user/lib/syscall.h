/* The user side of the system-call ABI (include/wingos/abi.h): one raw entry, wg_syscall6, and
 * one typed stub per syscall of idl/syscalls.idl, named wg_ + the syscall's name in lower case
 * (generated: syscalls_user.h).
 * Every stub returns the kernel's answer unchanged as a struct wg_result (error + value);
 * none of them checks its arguments, so a test can hand the kernel anything. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>

/* What every syscall returns: an error (WG_ERR_OK on success) and a value whose meaning the
 * syscall gives (a handle, a count, nanoseconds, an exit status...). */
struct wg_result {
    enum wg_error err;
    uint64_t value;
};

/* Issues syscall `number` with six arguments (rdi, rsi, rdx, r10, r8, r9); the kernel answers
 * in rax (error) and rdx (value) and clobbers rcx and r11. */
static inline struct wg_result wg_syscall6(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2,
                                           uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t r10 __asm__("r10") = a3;
    register uint64_t r8 __asm__("r8") = a4;
    register uint64_t r9 __asm__("r9") = a5;
    uint64_t rax = number;
    uint64_t rdx = a2;

    __asm__ volatile("syscall"
                     : "+a"(rax), "+d"(rdx)
                     : "D"(a0), "S"(a1), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return (struct wg_result){.err = (enum wg_error)rax, .value = rdx};
}

/* Syscalls with fewer arguments: the unused argument registers are not even loaded (the
 * kernel reads only the arguments a syscall has). */
static inline struct wg_result wg_syscall0(uint64_t number)
{
    uint64_t rax = number, rdx;
    __asm__ volatile("syscall" : "+a"(rax), "=d"(rdx) : : "rcx", "r11", "memory");
    return (struct wg_result){.err = (enum wg_error)rax, .value = rdx};
}

static inline struct wg_result wg_syscall1(uint64_t number, uint64_t a0)
{
    uint64_t rax = number, rdx;
    __asm__ volatile("syscall" : "+a"(rax), "=d"(rdx) : "D"(a0) : "rcx", "r11", "memory");
    return (struct wg_result){.err = (enum wg_error)rax, .value = rdx};
}

static inline struct wg_result wg_syscall2(uint64_t number, uint64_t a0, uint64_t a1)
{
    uint64_t rax = number, rdx;
    __asm__ volatile("syscall" : "+a"(rax), "=d"(rdx) : "D"(a0), "S"(a1) : "rcx", "r11", "memory");
    return (struct wg_result){.err = (enum wg_error)rax, .value = rdx};
}

/* The caller's own space, as the space argument of any syscall (not a syscall). */
static inline wg_handle wg_space_self(void)
{
    return WG_SELF;
}

/* One stub per syscall, generated from idl/syscalls.idl (build/gen/syscalls/syscalls_user.h;
 * docs/syscalls.md lists them with their arguments and results). Values in
 * struct wg_result.value are what the syscall's result names. */
#include <syscalls_user.h>

/* ASSET_MOVE and ASSET_COPY keeping every right the handle has (wg_asset_move_rights and
 * wg_asset_copy_rights with WG_RIGHTS_ALL). */
struct wg_result wg_asset_move(wg_handle space, wg_handle handle, wg_handle to_space);
struct wg_result wg_asset_copy(wg_handle space, wg_handle handle, wg_handle to_space);
