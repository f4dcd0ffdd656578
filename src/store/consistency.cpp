// The pure half of the consistency checker: findings from a snapshot.
#include <set>

#include "customers/store/consistency.hpp"
#include "customers/store/customer_codec.hpp"
#include "customers/store/keys.hpp"

namespace customers::store {
namespace {

constexpr std::array<std::string_view, 4> partition_names{"a0", "a1", "t0", "t1"};

redis::reply as_hgetall(const field_map& fields) {
    redis::reply r;
    r.kind = redis::reply::type::array;
    for (const auto& [f, v] : fields) {
        r.elements.push_back({redis::reply::type::string, f, 0, {}});
        r.elements.push_back({redis::reply::type::string, v, 0, {}});
    }
    return r;
}

class checker {
  public:
    explicit checker(const project_snapshot& s) : s_(s) {}

    std::vector<finding> run() {
        decode_customers();
        check_indexes();
        check_map(s_.usernames, ":un:", "username",
                  [](const domain::customer& c) { return std::optional<std::string>(c.username); });
        check_map(s_.external_ids, ":ex:", "external_id",
                  [](const domain::customer& c) { return c.external_id; });
        check_conversations();
        for (const auto& k : s_.other_keys) add(k, "not part of the layout");
        return std::move(out_);
    }

  private:
    void add(std::string key, std::string problem) {
        out_.push_back({s_.project, std::move(key), std::move(problem)});
    }
    std::string customer_key(std::string_view id) const { return keys::customer(s_.project, id); }
    std::string bucket_key(std::string_view infix, std::uint32_t b) const {
        return keys::tagged(s_.project, infix) + std::to_string(b);
    }

    void decode_customers() {
        for (const auto& [id, fields] : s_.customers) {
            auto c = from_hash(s_.project, id, as_hgetall(fields));
            if (!c)
                add(customer_key(id), "not a valid customer hash");
            else
                decoded_.emplace(id, std::move(*c));
        }
    }

    void check_indexes() {
        std::map<std::string, std::vector<int>> seen;  // id -> partitions listing it
        for (int p = 0; p < 4; ++p) {
            const std::string key = keys::indexes(s_.project)[p];
            for (const auto& id : s_.indexes[p]) {
                seen[id].push_back(p);
                const auto it = decoded_.find(id);
                if (it == decoded_.end()) {
                    if (!s_.customers.contains(id))
                        add(key, "lists " + id + " but " + customer_key(id) + " does not exist");
                    continue;
                }
                const int want = keys::partition(it->second.terminated, it->second.is_flagged);
                if (want != p)
                    add(key, "lists " + id + " whose status and flag belong in ix:" +
                                 std::string(partition_names[want]));
            }
        }
        for (const auto& [id, c] : decoded_) {
            const auto it = seen.find(id);
            const int want = keys::partition(c.terminated, c.is_flagged);
            if (it == seen.end())
                add(customer_key(id), "is in no partition index (belongs in ix:" +
                                          std::string(partition_names[want]) + ")");
            else if (it->second.size() > 1)
                add(customer_key(id), "is in " + std::to_string(it->second.size()) + " indexes");
        }
    }

    // {P}:un / {P}:ex: field -> customer id, one entry per customer that has
    // the field.
    template <class FieldOf>
    void check_map(const std::map<std::uint32_t, field_map>& map, std::string_view infix,
                   std::string_view name, FieldOf field_of) {
        std::set<std::string> listed;  // customer ids the map points to correctly
        for (const auto& [b, entries] : map) {
            const std::string key = bucket_key(infix, b);
            for (const auto& [value, id] : entries) {
                if (keys::bucket(value) != b)
                    add(key, "holds " + std::string(name) + " '" + value + "' of bucket " +
                                 std::to_string(keys::bucket(value)));
                const auto it = decoded_.find(id);
                if (it == decoded_.end()) {
                    if (!s_.customers.contains(id))
                        add(key, std::string(name) + " '" + value + "' points to missing " +
                                     customer_key(id));
                    continue;
                }
                const auto actual = field_of(it->second);
                if (actual != value)
                    add(key, std::string(name) + " '" + value + "' points to " + id + ", whose " +
                                 std::string(name) + " is " +
                                 (actual ? "'" + *actual + "'" : std::string("null")));
                else if (keys::bucket(value) == b)
                    listed.insert(id);
            }
        }
        for (const auto& [id, c] : decoded_) {
            const auto value = field_of(c);
            if (value && !listed.contains(id))
                add(customer_key(id), "its " + std::string(name) + " '" + *value + "' is not in " +
                                          bucket_key(infix, keys::bucket(*value)));
        }
    }

    // {P}:cv: conversation id -> "<customer id>:<created_at>".
    void check_conversations() {
        std::set<std::string> listed;
        for (const auto& [b, entries] : s_.conversations) {
            const std::string key = bucket_key(":cv:", b);
            for (const auto& [conv, value] : entries) {
                if (keys::bucket(conv) != b)
                    add(key, "holds conversation " + conv + " of bucket " +
                                 std::to_string(keys::bucket(conv)));
                const std::size_t colon = value.find(':');
                const std::string id = value.substr(0, colon);
                const auto it = decoded_.find(id);
                if (it == decoded_.end()) {
                    if (!s_.customers.contains(id))
                        add(key, "conversation " + conv + " points to missing " + customer_key(id));
                    continue;
                }
                const domain::customer& c = it->second;
                const std::string expected = c.id + ":" + std::to_string(c.created_at);
                if (c.conversation_id != conv)
                    add(key, "conversation " + conv + " points to " + id +
                                 ", whose conversation is " + c.conversation_id);
                else if (value != expected)
                    add(key, "conversation " + conv + " holds '" + value + "', expected '" +
                                 expected + "'");
                else if (keys::bucket(conv) == b)
                    listed.insert(id);
            }
        }
        for (const auto& [id, c] : decoded_)
            if (!listed.contains(id))
                add(customer_key(id), "its conversation " + c.conversation_id + " is not in " +
                                          bucket_key(":cv:", keys::bucket(c.conversation_id)));
    }

    const project_snapshot& s_;
    std::map<std::string, domain::customer> decoded_;
    std::vector<finding> out_;
};

}  // namespace

std::vector<finding> check_project(const project_snapshot& s) {
    return checker(s).run();
}

std::string describe(const finding& f) {
    return f.key + ": " + f.problem;
}

}  // namespace customers::store
