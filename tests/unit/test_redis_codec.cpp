#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <hiredis/hiredis.h>
#include <boost/test/unit_test.hpp>

#include "customers/redis/codec.hpp"
#include "customers/redis/error.hpp"
#include "customers/redis/script.hpp"

namespace redis = customers::redis;
using redis::reply;
using namespace std::string_view_literals;

namespace {

std::string encode(std::vector<std::string_view> args) {
    std::string out;
    redis::encode_command(out, args);
    return out;
}

// Feeds `bytes` and collects every complete reply; fails on a protocol error.
std::vector<reply> decode_all(redis::decoder& d, std::string_view bytes) {
    d.feed(bytes);
    std::vector<reply> out;
    for (;;) {
        auto next = d.next();
        BOOST_REQUIRE_MESSAGE(next.has_value(), "protocol error: " << d.last_error());
        if (!*next) return out;
        out.push_back(std::move(**next));
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_codec)

BOOST_AUTO_TEST_CASE(encodes_a_command_as_an_array_of_bulk_strings) {
    BOOST_TEST(encode({"SET", "k", "value"}) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
    BOOST_TEST(encode({"PING"}) == "*1\r\n$4\r\nPING\r\n");
}

BOOST_AUTO_TEST_CASE(encoding_is_binary_safe_and_appends) {
    const std::string binary("a\0b\r\n", 5);
    std::string out = "prefix";
    redis::encode_command(out, std::vector<std::string_view>{"SET", "", binary});
    BOOST_TEST(out == "prefix*3\r\n$3\r\nSET\r\n$0\r\n\r\n$5\r\n" + binary + "\r\n");
}

BOOST_AUTO_TEST_CASE(encoding_matches_hiredis_byte_for_byte) {
    const std::string big(100'000, 'x');
    const std::string binary("\0\r\n\xff", 4);
    for (const std::vector<std::string_view>& args :
         std::vector<std::vector<std::string_view>>{{"PING"},
                                                    {"HGETALL", "{proj}:c:WAz8eIbvDR60rouK"},
                                                    {"SET", "", binary},
                                                    {"SET", "k", big},
                                                    std::vector<std::string_view>(300, "a")}) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (auto a : args) {
            argv.push_back(a.data());
            lengths.push_back(a.size());
        }
        char* expected = nullptr;
        const int n = redisFormatCommandArgv(&expected, static_cast<int>(args.size()), argv.data(),
                                             lengths.data());
        BOOST_REQUIRE(n > 0);
        BOOST_TEST(encode(args) == std::string(expected, static_cast<std::size_t>(n)));
        redisFreeCommand(expected);
    }
}

BOOST_AUTO_TEST_CASE(an_empty_command_is_rejected) {
    std::string out;
    BOOST_CHECK_THROW(redis::encode_command(out, std::vector<std::string_view>{}),
                      std::invalid_argument);
    BOOST_TEST(out.empty());
}

BOOST_AUTO_TEST_CASE(decodes_every_scalar_type) {
    redis::decoder d;
    auto replies = decode_all(d, "+OK\r\n-ERR bad\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n$0\r\n\r\n");
    BOOST_REQUIRE_EQUAL(replies.size(), 6u);
    BOOST_TEST(replies[0].is_status("OK"));
    BOOST_TEST(replies[1].is_error());
    BOOST_TEST(replies[1].str == "ERR bad");
    BOOST_TEST((replies[2].kind == reply::type::integer));
    BOOST_TEST(replies[2].integer == -42);
    BOOST_TEST((replies[3].kind == reply::type::string));
    BOOST_TEST(replies[3].str == "hello");
    BOOST_TEST(replies[4].is_nil());
    BOOST_TEST((replies[5].kind == reply::type::string));
    BOOST_TEST(replies[5].str.empty());
}

BOOST_AUTO_TEST_CASE(decodes_binary_bulk_strings) {
    redis::decoder d;
    auto replies = decode_all(d, "$4\r\na\r\n\0\r\n"sv);
    BOOST_REQUIRE_EQUAL(replies.size(), 1u);
    BOOST_TEST(replies[0].str == "a\r\n\0"sv);
}

BOOST_AUTO_TEST_CASE(decodes_nested_arrays_and_nil_array) {
    redis::decoder d;
    auto replies = decode_all(d, "*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n*0\r\n*-1\r\n");
    BOOST_REQUIRE_EQUAL(replies.size(), 2u);
    const reply& top = replies[0];
    BOOST_TEST((top.kind == reply::type::array));
    BOOST_REQUIRE_EQUAL(top.elements.size(), 3u);
    BOOST_TEST(top.elements[0].integer == 1);
    BOOST_REQUIRE_EQUAL(top.elements[1].elements.size(), 2u);
    BOOST_TEST(top.elements[1].elements[0].str == "a");
    BOOST_TEST(top.elements[1].elements[1].is_nil());
    BOOST_TEST((top.elements[2].kind == reply::type::array));
    BOOST_TEST(top.elements[2].elements.empty());
    BOOST_TEST(replies[1].is_nil());  // *-1: a null array
}

BOOST_AUTO_TEST_CASE(partial_feeds_byte_by_byte) {
    const std::string stream = "*2\r\n$3\r\nfoo\r\n:7\r\n+PONG\r\n";
    redis::decoder d;
    std::vector<reply> replies;
    const std::size_t first_end = stream.find("+PONG");  // one past the array's last byte
    for (std::size_t i = 0; i < stream.size(); ++i) {
        auto got = decode_all(d, std::string_view(stream).substr(i, 1));
        // A reply completes exactly with its last byte, not before.
        const std::size_t fed = i + 1;
        const bool completes = fed == first_end || fed == stream.size();
        BOOST_TEST(got.size() == (completes ? 1u : 0u), "after " << fed << " bytes");
        for (auto& r : got) replies.push_back(std::move(r));
    }
    BOOST_REQUIRE_EQUAL(replies.size(), 2u);
    BOOST_TEST(replies[0].elements.at(0).str == "foo");
    BOOST_TEST(replies[0].elements.at(1).integer == 7);
    BOOST_TEST(replies[1].is_status("PONG"));
}

BOOST_AUTO_TEST_CASE(a_reply_split_across_feeds_inside_a_bulk_string) {
    redis::decoder d;
    BOOST_TEST(decode_all(d, "$10\r\n01234").empty());
    BOOST_TEST(decode_all(d, "567").empty());
    auto replies = decode_all(d, "89\r\n:1\r\n");
    BOOST_REQUIRE_EQUAL(replies.size(), 2u);
    BOOST_TEST(replies[0].str == "0123456789");
    BOOST_TEST(replies[1].integer == 1);
}

BOOST_AUTO_TEST_CASE(many_replies_in_one_feed) {
    std::string stream;
    for (int i = 0; i < 1000; ++i) stream += ":" + std::to_string(i) + "\r\n";
    redis::decoder d;
    auto replies = decode_all(d, stream);
    BOOST_REQUIRE_EQUAL(replies.size(), 1000u);
    for (int i = 0; i < 1000; ++i) BOOST_TEST(replies[i].integer == i);
}

BOOST_AUTO_TEST_CASE(a_huge_array_header_allocates_only_what_arrives) {
    // Found by fuzz_redis_reply: the claimed size used to be allocated up
    // front (here about 90 GB) before any element had arrived.
    redis::decoder d;
    d.feed("*1092233200\r\n$1\r\nx\r\n:7\r\n");
    auto next = d.next();
    BOOST_REQUIRE(next.has_value());
    BOOST_TEST(!next->has_value());  // incomplete, and nothing reserved for it
    redis::decoder small;
    const auto replies = decode_all(small, "*3\r\n$1\r\nx\r\n*1\r\n:7\r\n$-1\r\n");
    BOOST_REQUIRE_EQUAL(replies.size(), 1u);
    BOOST_REQUIRE_EQUAL(replies[0].elements.size(), 3u);
    BOOST_TEST(replies[0].elements[0].str == "x");
    BOOST_TEST(replies[0].elements[1].elements.at(0).integer == 7);
    BOOST_TEST(replies[0].elements[2].is_nil());
}

BOOST_AUTO_TEST_CASE(a_protocol_error_is_sticky_until_reset) {
    redis::decoder d;
    d.feed("!garbage\r\n");
    auto bad = d.next();
    BOOST_REQUIRE(!bad.has_value());
    BOOST_TEST(bad.error() == make_error_code(redis::error::protocol_error));
    BOOST_TEST(!d.last_error().empty());

    d.feed("+OK\r\n");  // valid bytes do not resynchronise a broken stream
    BOOST_TEST(!d.next().has_value());

    d.reset();
    BOOST_TEST(d.last_error().empty());
    auto replies = decode_all(d, "+OK\r\n");
    BOOST_REQUIRE_EQUAL(replies.size(), 1u);
    BOOST_TEST(replies[0].is_status("OK"));
}

BOOST_AUTO_TEST_CASE(reset_discards_a_partial_reply) {
    redis::decoder d;
    BOOST_TEST(decode_all(d, "$5\r\nhel").empty());
    d.reset();
    auto replies = decode_all(d, ":5\r\n");
    BOOST_REQUIRE_EQUAL(replies.size(), 1u);
    BOOST_TEST(replies[0].integer == 5);
}

BOOST_AUTO_TEST_CASE(from_hiredis_makes_a_deep_copy) {
    // A tree built by hiredis' own reader, freed before the copy is used:
    // a shallow copy would read freed memory (ASan reports it).
    redisReader* r = redisReaderCreate();
    const std::string_view stream = "*2\r\n$5\r\nhello\r\n*2\r\n:9\r\n-ERR x\r\n";
    redisReaderFeed(r, stream.data(), stream.size());
    void* raw = nullptr;
    BOOST_REQUIRE(redisReaderGetReply(r, &raw) == REDIS_OK);
    BOOST_REQUIRE(raw != nullptr);
    auto* hr = static_cast<redisReply*>(raw);
    reply copy = redis::from_hiredis(*hr);
    std::memset(hr->element[0]->str, 'X', hr->element[0]->len);  // the copy must not see it
    freeReplyObject(raw);
    redisReaderFree(r);

    BOOST_TEST((copy.kind == reply::type::array));
    BOOST_REQUIRE_EQUAL(copy.elements.size(), 2u);
    BOOST_TEST(copy.elements[0].str == "hello");
    BOOST_REQUIRE_EQUAL(copy.elements[1].elements.size(), 2u);
    BOOST_TEST(copy.elements[1].elements[0].integer == 9);
    BOOST_TEST(copy.elements[1].elements[1].is_error());
    BOOST_TEST(copy.elements[1].elements[1].str == "ERR x");
}

BOOST_AUTO_TEST_CASE(from_hiredis_maps_hand_built_replies) {
    char text[] = "QUEUED";
    redisReply status{};
    status.type = REDIS_REPLY_STATUS;
    status.str = text;
    status.len = 6;
    BOOST_TEST(redis::from_hiredis(status).is_status("QUEUED"));

    redisReply empty{};  // a string without storage must not be dereferenced
    empty.type = REDIS_REPLY_STRING;
    BOOST_TEST(redis::from_hiredis(empty).str.empty());

    redisReply odd{};
    odd.type = 99;
    reply mapped = redis::from_hiredis(odd);
    BOOST_TEST(mapped.is_error());
    BOOST_TEST(mapped.str.find("unsupported reply type 99") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(script_sha1_matches_redis) {
    // Values as returned by Redis' SCRIPT LOAD / standard SHA-1 test vectors.
    BOOST_TEST(redis::script("return 1").sha1() == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
    BOOST_TEST(redis::script("").sha1() == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    BOOST_TEST(redis::script("abc").sha1() == "a9993e364706816aba3e25717850c26c9cd0d89d");
    // 56 bytes: the length no longer fits in the first padding block.
    BOOST_TEST(redis::script("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").sha1() ==
               "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    // Several full blocks.
    BOOST_TEST(redis::script(std::string(1000, 'a')).sha1() ==
               "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    redis::script s("return redis.call('GET', KEYS[1])");
    BOOST_TEST(s.source() == "return redis.call('GET', KEYS[1])");
    BOOST_TEST(s.sha1().size() == 40u);
}

BOOST_AUTO_TEST_CASE(error_codes_have_messages) {
    boost::system::error_code ec = redis::error::timeout;
    BOOST_TEST(ec.category().name() == std::string("customers.redis"));
    BOOST_TEST(ec.message() == "Redis command timed out");
    BOOST_TEST(boost::system::error_code(redis::error::not_connected).message() ==
               "not connected to Redis");
    BOOST_TEST(ec != boost::system::error_code(redis::error::connection_lost));
}

BOOST_AUTO_TEST_SUITE_END()
