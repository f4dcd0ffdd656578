#pragma once
// What the chaos clients were told about their customers. An acknowledged
// write (201, 200, 204) fixes a customer's state; a write that ended in 503
// or a timeout is ambiguous: afterwards either the old or the new state is
// allowed, and the first verification settles which one Redis kept.

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace customers::chaos {

// The fields a client sets and can therefore check (times are the server's).
struct customer_fields {
    std::string username, phone_number;
    std::optional<std::string> display_name, external_id;
    bool flagged = false, terminated = false;
    std::map<std::string, std::string> meta;
    bool operator==(const customer_fields&) const = default;
};

// nullopt: the customer does not exist (deleted, or never created).
using customer_state = std::optional<customer_fields>;

// From a customer JSON object (a response body); nullopt if it is not one.
std::optional<customer_fields> fields_from_json(const boost::json::object& o);
// The create / PATCH request body that sets `f`.
std::string create_body(const customer_fields& f);
std::string patch_body(const customer_fields& f);
std::string describe(const customer_state& s);

struct tracked_customer {
    customer_state now;                    // when certain
    std::vector<customer_state> could_be;  // non-empty: an ambiguous write is unsettled
    bool certain() const { return could_be.empty(); }
};

class ledger {
  public:
    // Outcomes of writes.
    void create_acked(const std::string& id, const customer_fields& f);
    void create_ambiguous(const customer_fields& f);  // the id is unknown
    void write_acked(const std::string& id, customer_state after);
    void write_ambiguous(const std::string& id, customer_state after);

    // A certain, existing customer to work on (nullptr when there is none).
    const std::string* pick_present(std::mt19937_64& rng) const;
    const tracked_customer* find(const std::string& id) const;

    // Verification against what the store holds now (nullopt: absent).
    // Returns a problem ("lost ...") or nullopt; settles ambiguous entries.
    std::optional<std::string> settle(const std::string& id, const customer_state& observed);
    // A customer nobody was told about: an ambiguous create that happened.
    // True (and now tracked) when its username and fields match one.
    bool adopt(const std::string& id, const customer_fields& observed);
    // Ambiguous creates that did not happen are forgotten.
    void forget_unsettled_creates() { pending_creates_.clear(); }
    // Everything is gone by design (Redis restarted empty).
    void reset();

    const std::map<std::string, tracked_customer>& customers() const { return customers_; }
    std::size_t pending_creates() const { return pending_creates_.size(); }

  private:
    void mark_present(const std::string& id, bool present);

    std::map<std::string, tracked_customer> customers_;
    std::vector<std::string> present_;  // ids of certain, existing customers
    std::map<std::string, std::size_t> present_at_;
    std::map<std::string, customer_fields> pending_creates_;  // by username
};

}  // namespace customers::chaos
