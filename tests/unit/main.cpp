#define BOOST_TEST_MODULE customers_unit
#include <boost/test/unit_test.hpp>
