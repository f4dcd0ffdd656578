// seed-customers --redis URL --project P --count N [--flagged-every K]
//                [--terminated-every K] [--ids-out FILE] [--batch B] [--workers W]
//
// Writes N complete customers straight into Redis in exactly the layout the
// create script writes (src/store/scripts.cpp): the customer hash
// (store::to_hash), its {P}:un:<b>, {P}:ex:<b> and {P}:cv:<b> entries (b =
// store::keys::bucket of the field) and its id in the
// partition index its status and flag select. Ids come from domain::make_id
// with strictly increasing times ending now, so they sort by creation like
// ids the server makes, and usernames and external ids embed the id, so
// they are unique. Every K-th customer is flagged / terminated (the way a
// PATCH status=terminated leaves it: terminated_at = updated_at).
//
// One redis::connection, W coroutines on one io_context, each with one batch
// of B customers (B customer HSETs, one multi-pair HSET per bucket of each
// side hash the batch touches, one ZADD per partition) in flight. Prints the elapsed time and the
// rate;
// --ids-out writes the ids one per line, oldest first.

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "customers/domain/customer.hpp"
#include "customers/domain/ids.hpp"
#include "customers/redis/connection.hpp"
#include "customers/redis/url.hpp"
#include "customers/store/customer_codec.hpp"
#include "customers/store/keys.hpp"
#include "customers/util/log.hpp"

namespace asio = boost::asio;
using namespace customers;

namespace {

constexpr std::string_view usage =
    "usage: seed-customers --redis URL --project P --count N [--flagged-every K]\n"
    "                      [--terminated-every K] [--ids-out FILE] [--batch B] [--workers W]\n";

struct options {
    std::string redis_url = "redis://127.0.0.1:6379";
    std::string project;
    std::uint64_t count = 0;
    std::uint64_t flagged_every = 0;     // 0: none flagged
    std::uint64_t terminated_every = 0;  // 0: none terminated
    std::string ids_out;
    std::uint64_t batch = 1000;  // customers per batch
    std::uint64_t workers = 4;   // batches in flight
};

std::uint64_t parse_count(std::string_view flag, std::string_view v) {
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size())
        throw std::invalid_argument(std::string(flag) + " wants a non-negative integer, got '" +
                                    std::string(v) + "'");
    return n;
}

options parse(int argc, char** argv) {
    options o;
    bool have_count = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (flag == "--help" || flag == "-h") {
            std::cout << usage;
            std::exit(0);
        }
        if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
        const std::string_view v = argv[++i];
        if (flag == "--redis")
            o.redis_url = v;
        else if (flag == "--project")
            o.project = v;
        else if (flag == "--count")
            o.count = parse_count(flag, v), have_count = true;
        else if (flag == "--flagged-every")
            o.flagged_every = parse_count(flag, v);
        else if (flag == "--terminated-every")
            o.terminated_every = parse_count(flag, v);
        else if (flag == "--ids-out")
            o.ids_out = v;
        else if (flag == "--batch")
            o.batch = parse_count(flag, v);
        else if (flag == "--workers")
            o.workers = parse_count(flag, v);
        else
            throw std::invalid_argument("unknown option " + std::string(flag));
    }
    if (o.project.empty()) throw std::invalid_argument("--project is required");
    if (!have_count) throw std::invalid_argument("--count is required");
    if (o.batch == 0 || o.workers == 0)
        throw std::invalid_argument("--batch and --workers must be at least 1");
    return o;
}

std::string text(std::int64_t v) {
    return std::to_string(v);
}

// Customers [first, first + n) and everything their commands refer to. The
// commands hold views into this, so it must not move while they are in use.
struct batch {
    struct row {
        domain::customer c;
        store::hash_fields fields;
        std::string key;
        std::string conversation_value;
        std::string k_username, k_external_id, k_conversation;  // bucket keys
    };
    std::vector<row> rows;
    std::vector<std::vector<std::string_view>> commands;
    // [first, last) command indexes of the username / external id HSETs.
    std::size_t usernames_first = 0, usernames_last = 0;
    std::size_t external_ids_first = 0, external_ids_last = 0;
};

class seeder {
  public:
    seeder(const options& o, redis::connection& conn)
        : o_(o),
          conn_(conn),
          rng_(std::random_device{}()),
          k_indexes_(store::keys::indexes(o.project)) {
        using namespace std::chrono;
        const auto now_us = static_cast<std::uint64_t>(
            duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
        now_s_ = static_cast<std::int64_t>(now_us / 1'000'000);
        first_us_ = now_us - o.count * step_us;
        if (!o.ids_out.empty()) ids_.resize(o.count);
    }

    asio::awaitable<void> worker() {
        for (;;) {
            const std::uint64_t first = next_;
            if (first >= o_.count) co_return;
            const std::uint64_t n = std::min(o_.batch, o_.count - first);
            next_ += n;
            batch b;
            fill(b, first, n);
            auto r = co_await conn_.exec_batch(b.commands);
            if (!r) throw std::runtime_error("redis: " + r.error().message());
            check(b, *r);
        }
    }

    void stop() { next_ = o_.count; }

    const std::vector<std::array<char, domain::id_length>>& ids() const { return ids_; }

  private:
    static constexpr std::uint64_t step_us = 1000;                     // customers are 1 ms apart
    static constexpr std::uint64_t tail_range = 3'521'614'606'208ULL;  // 62^7

    void fill(batch& b, std::uint64_t first, std::uint64_t n) {
        b.rows.resize(n);  // never resized again: the views below stay valid
        for (std::uint64_t j = 0; j < n; ++j) {
            const std::uint64_t i = first + j;
            auto& r = b.rows[j];
            domain::customer& c = r.c;
            const std::uint64_t micros = first_us_ + i * step_us;
            c.id = domain::make_id(micros, rng_() % tail_range);
            c.project_id = o_.project;
            c.username = "seed_" + c.id;
            c.phone_number = "+1 555 " + std::to_string(1'000'000 + i % 9'000'000);
            c.avatar_url = "https://assets.protocol.chat/avatars/" + c.id + ".jpg";
            c.display_name = "Customer " + std::to_string(i);
            c.external_id = "ext-" + c.id;
            c.conversation_id = domain::make_id(micros, rng_() % tail_range);
            c.is_flagged = o_.flagged_every && (i + 1) % o_.flagged_every == 0;
            c.created_at = c.updated_at = static_cast<std::int64_t>(micros / 1'000'000);
            c.terminated = o_.terminated_every && (i + 1) % o_.terminated_every == 0;
            if (c.terminated) {
                c.terminated_at = std::min(c.created_at + 60, now_s_);
                c.updated_at = *c.terminated_at;
            }
            r.fields = store::to_hash(c);
            r.key = store::keys::customer(o_.project, c.id);
            r.conversation_value = c.id + ":" + text(c.created_at);
            r.k_username = store::keys::usernames(o_.project, c.username);
            r.k_external_id = store::keys::external_ids(o_.project, *c.external_id);
            r.k_conversation = store::keys::conversations(o_.project, c.conversation_id);
            if (!ids_.empty()) std::copy(c.id.begin(), c.id.end(), ids_[i].begin());
        }

        b.commands.reserve(4 * n + 4);
        for (const auto& r : b.rows) {
            auto& cmd = b.commands.emplace_back();
            cmd.reserve(2 + 2 * r.fields.size());
            cmd.push_back("HSET");
            cmd.push_back(r.key);
            for (const auto& [f, v] : r.fields) {
                cmd.push_back(f);
                cmd.push_back(v);
            }
        }
        // One HSET per bucket: the rows sorted by bucket key, one command per run.
        std::vector<const batch::row*> sorted;
        sorted.reserve(n);
        for (const auto& r : b.rows) sorted.push_back(&r);
        auto pairs = [&](auto&& key, auto&& field, auto&& value) {
            std::sort(sorted.begin(), sorted.end(),
                      [&](const batch::row* x, const batch::row* y) { return key(*x) < key(*y); });
            for (std::size_t i = 0; i < sorted.size();) {
                const std::string_view k = key(*sorted[i]);
                auto& cmd = b.commands.emplace_back();
                cmd.push_back("HSET");
                cmd.push_back(k);
                for (; i < sorted.size() && key(*sorted[i]) == k; ++i) {
                    cmd.push_back(field(*sorted[i]));
                    cmd.push_back(value(*sorted[i]));
                }
            }
        };
        b.usernames_first = b.commands.size();
        pairs([](const batch::row& r) -> std::string_view { return r.k_username; },
              [](const batch::row& r) -> std::string_view { return r.c.username; },
              [](const batch::row& r) -> std::string_view { return r.c.id; });
        b.usernames_last = b.external_ids_first = b.commands.size();
        pairs([](const batch::row& r) -> std::string_view { return r.k_external_id; },
              [](const batch::row& r) -> std::string_view { return *r.c.external_id; },
              [](const batch::row& r) -> std::string_view { return r.c.id; });
        b.external_ids_last = b.commands.size();
        pairs([](const batch::row& r) -> std::string_view { return r.k_conversation; },
              [](const batch::row& r) -> std::string_view { return r.c.conversation_id; },
              [](const batch::row& r) -> std::string_view { return r.conversation_value; });
        for (int p = 0; p < 4; ++p) {
            std::vector<std::string_view> cmd{"ZADD", k_indexes_[static_cast<std::size_t>(p)]};
            for (const auto& r : b.rows)
                if (store::keys::partition(r.c.terminated, r.c.is_flagged) == p) {
                    cmd.push_back("0");
                    cmd.push_back(r.c.id);
                }
            if (cmd.size() > 2) b.commands.push_back(std::move(cmd));
        }
    }

    // Every reply an integer; the uniqueness hashes got one new field per
    // customer (else a username or external id already existed: the project
    // was not empty of seeded customers with these ids).
    void check(const batch& b, const std::vector<redis::reply>& replies) const {
        for (const auto& r : replies)
            if (r.kind != redis::reply::type::integer)
                throw std::runtime_error("redis: unexpected reply: " + r.str);
        const auto n = static_cast<std::int64_t>(b.rows.size());
        auto added = [&](std::size_t first, std::size_t last) {
            std::int64_t sum = 0;
            for (std::size_t i = first; i < last; ++i) sum += replies[i].integer;
            return sum;
        };
        if (added(b.usernames_first, b.usernames_last) != n ||
            added(b.external_ids_first, b.external_ids_last) != n)
            throw std::runtime_error(
                "a seeded username or external id already existed in project " + o_.project);
    }

    const options& o_;
    redis::connection& conn_;
    std::mt19937_64 rng_;
    const std::array<std::string, 4> k_indexes_;
    std::int64_t now_s_ = 0;
    std::uint64_t first_us_ = 0;
    std::uint64_t next_ = 0;
    std::vector<std::array<char, domain::id_length>> ids_;
};

asio::awaitable<void> wait_connected(redis::connection& conn, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    asio::steady_timer t(co_await asio::this_coro::executor);
    while (!conn.connected()) {
        if (std::chrono::steady_clock::now() > until)
            throw std::runtime_error("cannot connect to redis");
        t.expires_after(std::chrono::milliseconds(10));
        co_await t.async_wait(asio::use_awaitable);
    }
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    redis::connection_config cfg;
    try {
        o = parse(argc, argv);
        cfg.where = redis::parse_url(o.redis_url).value();
    } catch (const std::exception& e) {
        std::cerr << "seed-customers: " << e.what() << "\n" << usage;
        return 2;
    }
    cfg.command_timeout = std::chrono::seconds(60);  // a batch is big; several queue up

    log::set_level(log::level::warn);  // no "connected" line

    asio::io_context ioc;
    redis::connection conn(ioc.get_executor(), cfg);
    seeder s(o, conn);
    std::exception_ptr failure;
    std::chrono::steady_clock::duration elapsed{};
    conn.start();
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            co_await wait_connected(conn, std::chrono::seconds(10));
            const auto start = std::chrono::steady_clock::now();
            const std::uint64_t batches = (o.count + o.batch - 1) / o.batch;
            const std::uint64_t workers = std::max<std::uint64_t>(1, std::min(o.workers, batches));
            std::uint64_t running = workers;
            asio::steady_timer done(co_await asio::this_coro::executor,
                                    asio::steady_timer::time_point::max());
            for (std::uint64_t w = 0; w < workers; ++w)
                asio::co_spawn(ioc, s.worker(), [&](std::exception_ptr e) {
                    if (e && !failure) failure = e;
                    if (e) s.stop();  // the other workers take no new batch
                    if (--running == 0) done.cancel();
                });
            boost::system::error_code ec;
            if (running > 0)
                co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            elapsed = std::chrono::steady_clock::now() - start;
        },
        [&](std::exception_ptr e) {
            if (e && !failure) failure = e;
            conn.stop();
        });
    ioc.run();

    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            std::cerr << "seed-customers: " << e.what() << "\n";
        }
        return 1;
    }
    if (!o.ids_out.empty()) {
        std::ofstream out(o.ids_out, std::ios::binary | std::ios::trunc);
        for (const auto& id : s.ids()) {
            out.write(id.data(), static_cast<std::streamsize>(id.size()));
            out.put('\n');
        }
        out.flush();
        if (!out) {
            std::cerr << "seed-customers: cannot write " << o.ids_out << "\n";
            return 1;
        }
    }
    const double seconds = std::chrono::duration<double>(elapsed).count();
    std::printf("seeded %llu customers into project %s in %.3f s (%.0f customers/s)\n",
                static_cast<unsigned long long>(o.count), o.project.c_str(), seconds,
                seconds > 0 ? static_cast<double>(o.count) / seconds : 0.0);
    return 0;
}
