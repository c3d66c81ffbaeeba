// SPDX-License-Identifier: Apache-2.0
//
// Mutex and MutexLock: std::mutex and std::lock_guard with the thread-safety annotations
// (util/thread_annotations.h) that let clang check GUARDED_BY and REQUIRES. The core starts
// no threads, but the host's Executor may run its tasks on several (ARCHITECTURE.md §5).
#pragma once

#include <mutex>

#include "util/thread_annotations.h"

namespace slatedb {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

// Holds `mu` from construction to the end of the scope. Never across a co_await.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* mu_;
};

}  // namespace slatedb
