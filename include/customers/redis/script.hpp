#pragma once
// A Lua script known by its SHA1, computed locally so EVALSHA can be sent
// before Redis has ever seen the script. The connection SCRIPT LOADs its
// registered scripts on every (re)connect and retries once after NOSCRIPT.

#include <string>
#include <string_view>

namespace customers::redis {

class script {
  public:
    explicit script(std::string source);
    const std::string& source() const noexcept { return source_; }
    const std::string& sha1() const noexcept { return sha1_; }  // 40 lowercase hex

  private:
    std::string source_;
    std::string sha1_;
};

}  // namespace customers::redis
