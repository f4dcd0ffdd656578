#include "customers/store/customer_store.hpp"

#include <array>
#include <chrono>
#include <string>

#include "customers/domain/ids.hpp"
#include "customers/redis/reply_policy.hpp"
#include "customers/store/customer_codec.hpp"
#include "customers/store/keys.hpp"
#include "customers/store/list_merge.hpp"
#include "customers/store/scripts.hpp"
#include "customers/util/log_throttle.hpp"
#include "customers/util/text.hpp"

namespace customers::store {
namespace {

using redis::reply;
using sv = std::string_view;

// Error replies come in floods (a failover answers READONLY to every write
// until the connection has moved): one line per operation and error code
// every 10 s, with the number held back.
log::throttle error_reply_log(std::chrono::seconds(10));

// A transport failure or an error reply: the store is unavailable.
bool failed(const result<reply>& r, std::string_view what) {
    if (!r) {
        log::debug("redis ", what, ": ", r.error().message());
        return true;
    }
    if (r->is_error()) {
        const std::string kind = std::string(what) + " " + std::string(redis::error_code_of(*r));
        log::warn_throttled(error_reply_log, kind, "redis ", what, " answered: ", r->str);
        return true;
    }
    return false;
}

}  // namespace

void customer_store::register_scripts(redis::connection& redis) {
    redis.add_script(scripts::create_customer());
    redis.add_script(scripts::update_customer());
    redis.add_script(scripts::delete_customer());
}

async_result<domain::customer> customer_store::create(sv project,
                                                      const domain::customer_input& in) {
    domain::customer c;
    c.id = domain::new_id();
    c.project_id = project;
    c.username = *in.username;
    c.phone_number = *in.phone_number;
    if (in.avatar_url) c.avatar_url = *in.avatar_url;
    if (in.display_name) c.display_name = *in.display_name;
    if (in.external_id) c.external_id = *in.external_id;
    c.is_flagged = in.is_flagged.value_or(false);
    if (in.meta) c.meta = domain::meta_json(*in.meta);
    c.conversation_id = domain::new_id();
    // created_at is the id's time part (to the second), not the handler's
    // clock a few µs earlier: then the hash need not store it (to_hash).
    c.created_at = c.updated_at = domain::id_seconds(c.id);

    const std::string k_customer = keys::customer(project, c.id),
                      k_un = keys::usernames(project, c.username),
                      k_ex = c.external_id ? keys::external_ids(project, *c.external_id)
                                           : keys::external_ids_prefix(project),
                      k_cv = keys::conversations(project, c.conversation_id),
                      k_ix = keys::indexes(project)[keys::partition(false, c.is_flagged)];
    const std::string conversation_value = c.id + ":" + std::to_string(c.created_at);
    const hash_fields fields = to_hash(c);

    const std::array<sv, 5> k{k_customer, k_un, k_ex, k_cv, k_ix};
    std::vector<sv> args{c.id, c.username, c.external_id ? sv(*c.external_id) : sv(),
                         c.conversation_id, conversation_value};
    for (const auto& [f, v] : fields) {
        args.push_back(f);
        args.push_back(v);
    }
    auto r = co_await redis_.eval(scripts::create_customer(), k, args);
    if (failed(r, "create")) co_return error::unavailable;
    if (r->str == "username") co_return error::username_taken;
    if (r->str == "external_id") co_return error::external_id_taken;
    co_return c;
}

async_result<domain::customer> customer_store::get(sv project, sv id) {
    const std::string key = keys::customer(project, id);
    const std::array<sv, 2> cmd{"HGETALL", key};
    auto r = co_await redis_.exec(cmd);
    if (failed(r, "HGETALL")) co_return error::unavailable;
    if (r->elements.empty()) co_return error::not_found;
    auto c = from_hash(project, id, std::move(*r));
    if (!c) co_return error::corrupt;
    co_return std::move(*c);
}

async_result<domain::customer> customer_store::update(sv project, sv id,
                                                      const domain::customer_input& in,
                                                      std::int64_t now) {
    const bool set_external_id = in.external_id && *in.external_id;
    const std::string k_customer = keys::customer(project, id),
                      k_ex = set_external_id ? keys::external_ids(project, **in.external_id)
                                             : keys::external_ids_prefix(project),
                      k_ex_prefix = keys::external_ids_prefix(project),
                      bucket_count = std::to_string(keys::buckets);
    const auto ix = keys::indexes(project);
    const std::array<sv, 6> k{k_customer, k_ex, ix[0], ix[1], ix[2], ix[3]};

    auto op_of = [](const std::optional<std::optional<std::string>>& f) -> sv {
        return !f ? "k" : (*f ? "s" : "n");
    };
    const std::string meta = in.meta ? domain::meta_json(*in.meta) : std::string();
    const std::string now_text = std::to_string(now);
    const std::array<sv, 12> args{
        id,
        now_text,
        op_of(in.external_id),
        in.external_id && *in.external_id ? sv(**in.external_id) : sv(),
        !in.terminated ? "k" : (*in.terminated ? "t" : "a"),
        !in.is_flagged ? "k" : (*in.is_flagged ? "1" : "0"),
        op_of(in.display_name),
        in.display_name && *in.display_name ? sv(**in.display_name) : sv(),
        !in.meta ? "k" : (meta == "{}" ? "n" : "s"),
        meta,
        k_ex_prefix,
        bucket_count,
    };
    auto r = co_await redis_.eval(scripts::update_customer(), k, args);
    if (failed(r, "update")) co_return error::unavailable;
    if (r->is_nil()) co_return error::not_found;
    if (r->str == "external_id") co_return error::external_id_taken;
    auto c = from_hash(project, id, std::move(*r));
    if (!c) co_return error::corrupt;
    co_return std::move(*c);
}

async_result<void> customer_store::remove(sv project, sv id) {
    const std::string k_customer = keys::customer(project, id),
                      p_un = keys::usernames_prefix(project),
                      p_ex = keys::external_ids_prefix(project),
                      p_cv = keys::conversations_prefix(project),
                      bucket_count = std::to_string(keys::buckets);
    const auto ix = keys::indexes(project);
    const std::array<sv, 5> k{k_customer, ix[0], ix[1], ix[2], ix[3]};
    const std::array<sv, 5> args{id, p_un, p_ex, p_cv, bucket_count};
    auto r = co_await redis_.eval(scripts::delete_customer(), k, args);
    if (failed(r, "delete")) co_return error::unavailable;
    if (r->integer == 0) co_return error::not_found;
    co_return result<void>{};
}

async_result<conversation> customer_store::get_conversation(sv project, sv id) {
    const std::string key = keys::conversations(project, id);
    const std::array<sv, 3> cmd{"HGET", key, id};
    auto r = co_await redis_.exec(cmd);
    if (failed(r, "HGET")) co_return error::unavailable;
    if (r->is_nil()) co_return error::not_found;
    const std::size_t colon = r->str.find(':');
    if (colon == std::string::npos) co_return error::corrupt;
    const auto created = util::parse_int64(sv(r->str).substr(colon + 1));
    if (!created) co_return error::corrupt;
    co_return conversation{std::string(id), r->str.substr(0, colon), *created};
}

}  // namespace customers::store
