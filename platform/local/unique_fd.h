// SPDX-License-Identifier: Apache-2.0
//
// UniqueFd: owns one POSIX file descriptor and closes it when it goes away, so that every
// early error return in the local store releases what it opened. Internal to platform/.
#pragma once

#include <unistd.h>

#include <utility>

namespace slatedb::local {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  // The descriptor, or -1 if none. Ownership stays here.
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  // Gives up ownership without closing.
  int Release() { return std::exchange(fd_, -1); }

  // Closes the current descriptor (errors ignored: nothing useful can be done about a
  // failed close of a descriptor whose data was already fsynced or only read) and takes
  // ownership of `fd`.
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace slatedb::local
