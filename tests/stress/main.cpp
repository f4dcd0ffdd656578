#define BOOST_TEST_MODULE customers_stress
#include <boost/test/unit_test.hpp>
