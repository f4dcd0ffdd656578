#define BOOST_TEST_MODULE customers_integration
#include <boost/test/unit_test.hpp>
