#include <boost/test/unit_test.hpp>

#include "customers/util/crypto.hpp"
#include "customers/util/json_writer.hpp"
#include "customers/util/text.hpp"

using namespace customers::util;

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(invalid_utf8_is_replaced_valid_is_kept) {
    BOOST_TEST(utf8_or_replacement("h\xc3\xa9 \xf0\x9f\x98\x80") == "h\xc3\xa9 \xf0\x9f\x98\x80");
    BOOST_TEST(utf8_or_replacement("a\xff") == "a\xEF\xBF\xBD");
    BOOST_TEST(utf8_or_replacement("\xc3") == "\xEF\xBF\xBD");                    // truncated
    BOOST_TEST(utf8_or_replacement("\xc0\xaf!") == "\xEF\xBF\xBD\xEF\xBF\xBD!");  // overlong
    BOOST_TEST(utf8_length(utf8_or_replacement("\xed\xa0\x80x\x80")).has_value());
}

BOOST_AUTO_TEST_CASE(utf8_is_strict) {
    BOOST_TEST(utf8_length("abc").value() == 3u);
    BOOST_TEST(utf8_length("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80").value() == 9u);
    BOOST_TEST(!utf8_length("\xc3").has_value());              // truncated
    BOOST_TEST(!utf8_length("\xc0\xaf").has_value());          // overlong '/'
    BOOST_TEST(!utf8_length("\xed\xa0\x80").has_value());      // surrogate
    BOOST_TEST(!utf8_length("\xf4\x90\x80\x80").has_value());  // above U+10FFFF
    BOOST_TEST(!utf8_length("\xff").has_value());
    BOOST_TEST(!utf8_length("a\x80").has_value());  // lone continuation
}

BOOST_AUTO_TEST_CASE(control_characters_are_found) {
    BOOST_TEST(has_control_chars("a\tb"));
    BOOST_TEST(has_control_chars(std::string("a\0b", 3)));
    BOOST_TEST(has_control_chars("a\x7f"));
    BOOST_TEST(has_control_chars("a\xc2\x85"));  // U+0085 NEL
    BOOST_TEST(!has_control_chars("Uncle Frank \xc3\xa9"));
}

BOOST_AUTO_TEST_CASE(form_bodies_decode) {
    auto pairs = parse_form(
        "username=Frank+McCallister&phone_number=1-800-759-3000&x=%7B%2A%7D&empty=&flag");
    BOOST_REQUIRE(pairs);
    BOOST_REQUIRE(pairs->size() == 5u);
    BOOST_TEST((*pairs)[0].second == "Frank McCallister");
    BOOST_TEST((*pairs)[2].second == "{*}");
    BOOST_TEST((*pairs)[3].second == "");
    BOOST_TEST((*pairs)[4].first == "flag");
    BOOST_TEST(parse_form("a=1&&b=2")->size() == 2u);
    std::string bad;
    BOOST_TEST(!parse_form("a=%zz", &bad));
    BOOST_TEST(bad == "a=%zz");
    BOOST_TEST(!parse_form("a=%4"));
    BOOST_TEST(!parse_form("a=%"));
    BOOST_TEST(parse_form("")->empty());
}

BOOST_AUTO_TEST_CASE(integers_parse_whole) {
    BOOST_TEST(parse_int64("692233200").value() == 692233200);
    BOOST_TEST(parse_int64("-5").value() == -5);
    BOOST_TEST(!parse_int64(""));
    BOOST_TEST(!parse_int64("10a"));
    BOOST_TEST(!parse_int64(" 1"));
    BOOST_TEST(!parse_int64("99999999999999999999"));
}

BOOST_AUTO_TEST_CASE(json_strings_are_escaped) {
    std::string out;
    append_json_string(out, std::string("a\"b\\c\n\x01\xc3\xa9", 9));
    BOOST_TEST(out == "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
    out.clear();
    append_json_nullable(out, std::optional<std::string>{});
    append_json_int(out, -42);
    BOOST_TEST(out == "null-42");
}

BOOST_AUTO_TEST_CASE(escaping_is_exact_at_every_position) {
    // The word-at-a-time fast path must never skip a byte that needs
    // escaping, wherever it falls in or after the 8-byte words.
    for (std::size_t len = 0; len < 40; ++len) {
        for (std::size_t at = 0; at < len; ++at) {
            for (char special : {'"', '\\', '\x01', '\x1f', '\n'}) {
                std::string in(len, 'a');
                in[at] = special;
                std::string out;
                append_json_string(out, in);
                std::string expected = "\"" + std::string(at, 'a');
                if (special == '"')
                    expected += "\\\"";
                else if (special == '\\')
                    expected += "\\\\";
                else if (special == '\n')
                    expected += "\\n";
                else
                    expected += special == '\x01' ? "\\u0001" : "\\u001f";
                expected += std::string(len - at - 1, 'a') + "\"";
                BOOST_TEST(out == expected, "len " << len << " at " << at);
            }
        }
    }
    std::string out;
    append_json_string(out, "\x7f \xc3\xa9 \x20 ~");  // DEL, UTF-8 and space pass through
    BOOST_TEST(out == "\"\x7f \xc3\xa9 \x20 ~\"");
}

BOOST_AUTO_TEST_CASE(constant_time_comparison) {
    BOOST_TEST(constant_time_equal("abc", "abc"));
    BOOST_TEST(!constant_time_equal("abc", "abd"));
    BOOST_TEST(!constant_time_equal("abc", "abcd"));
    BOOST_TEST(constant_time_equal("", ""));
}

BOOST_AUTO_TEST_CASE(sha256_and_tokens) {
    BOOST_TEST(sha256_hex("") ==
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(sha256_hex("abc") ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string a = random_token(32), b = random_token(32);
    BOOST_TEST(a.size() == 32u);
    BOOST_TEST(a != b);
    BOOST_TEST(
        a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
