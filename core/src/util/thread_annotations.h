// SPDX-License-Identifier: Apache-2.0
//
// Clang thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html).
// They let clang's -Wthread-safety check, at compile time, that state is touched only with
// the lock that guards it held (scripts/thread-safety-check.sh builds the core that way in
// CI). Other compilers see nothing.
#pragma once

#if defined(__clang__)
#define SLATEDB_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SLATEDB_THREAD_ANNOTATION(x)
#endif

// A type whose objects are locks (capabilities).
#define CAPABILITY(x) SLATEDB_THREAD_ANNOTATION(capability(x))
// An RAII type that holds a capability for its lifetime.
#define SCOPED_CAPABILITY SLATEDB_THREAD_ANNOTATION(scoped_lockable)
// A data member read or written only while holding the capability.
#define GUARDED_BY(x) SLATEDB_THREAD_ANNOTATION(guarded_by(x))
// A pointer member whose pointee is touched only while holding the capability.
#define PT_GUARDED_BY(x) SLATEDB_THREAD_ANNOTATION(pt_guarded_by(x))
// A function the caller must call with the capabilities held (the *Locked methods).
#define REQUIRES(...) SLATEDB_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
// A function the caller must call without the capabilities held (it takes them itself).
#define EXCLUDES(...) SLATEDB_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) SLATEDB_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) SLATEDB_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
// A function that tells the analysis the capability is held (where it cannot see why: a
// callback the lock holder runs).
#define ASSERT_CAPABILITY(x) SLATEDB_THREAD_ANNOTATION(assert_capability(x))
// A function that returns a reference to the capability named by its argument.
#define RETURN_CAPABILITY(x) SLATEDB_THREAD_ANNOTATION(lock_returned(x))
// Opts a function out of the analysis (say why where it is used).
#define NO_THREAD_SAFETY_ANALYSIS SLATEDB_THREAD_ANNOTATION(no_thread_safety_analysis)
