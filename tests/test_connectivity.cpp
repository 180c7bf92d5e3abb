// The map of minima (landscape/analysis/connectivity.*, experiments/analysis/connectivity_files.*;
// docs/algorithms.md §14.5): the spanning tree, minimax barriers, single-linkage merges and
// suggestions on a hand-made graph, then on Mueller-Brown's three minima from real path runs.
#include <cmath>
#include <tuple>

#include "experiments/analysis/connectivity_files.hpp"
#include "landscape/analysis/connectivity.hpp"
#include "test_support.hpp"

namespace landscape {
namespace {

TEST(Connectivity, TreeMinimaxMergesAndSuggestions) {
  // Four minima; barriers a-b 5, b-c 3, a-c 4, c-d 9 (a-d and b-d unknown).
  MinimaGraph g;
  g.names = {"a", "b", "c", "d"};
  g.loss = {0, 1, 0.5, 2};
  g.edges = {{0, 1, 5}, {1, 2, 3}, {0, 2, 4}, {2, 3, 9}, {1, 0, 6}};  // b-a again, higher: the lower kept
  const Connectivity c = connectivity(g, 10);
  ASSERT_EQ(c.tree.size(), 3u);
  EXPECT_EQ(c.tree[0].barrier, 3);  // b-c
  EXPECT_EQ(c.tree[1].barrier, 4);  // a-c, not a-b (5)
  EXPECT_EQ(c.tree[2].barrier, 9);
  auto minimax = [&](int a, int b) { return c.minimax[size_t(a) * 4 + size_t(b)]; };
  EXPECT_EQ(minimax(0, 1), 4);  // a -> c -> b: the highest barrier on the way is 4, below the direct 5
  EXPECT_EQ(minimax(1, 3), 9);
  EXPECT_EQ(minimax(3, 0), 9);
  ASSERT_EQ(c.merges.size(), 3u);
  EXPECT_EQ(c.merges[0].level, 3);
  EXPECT_EQ(c.merges[2].level, 9);
  ASSERT_EQ(c.order.size(), 4u);
  // a, b, c are one basin below 9: contiguous, d at an end
  EXPECT_TRUE(c.order.front() == 3 || c.order.back() == 3);
  // Suggestions: the unknown pairs, the one with the most room first (b-d: 9 - 2 = 7 = a-d's; a-d
  // comes first in the pair order).
  ASSERT_EQ(c.suggestions.size(), 2u);
  EXPECT_EQ(c.suggestions[0].room, 7);
  // A minimum no path reaches: infinitely far from the others, suggested first.
  g.names.push_back("e");
  g.loss.push_back(0);
  const Connectivity d = connectivity(g, 3);
  EXPECT_TRUE(std::isinf(d.minimax[4 * 5 + 0]));
  EXPECT_TRUE(std::isinf(d.suggestions[0].room));
}

TEST(Connectivity, ABadEdgeIsAnError) {
  MinimaGraph g;
  g.names = {"a", "b"};
  g.loss = {0, 0};
  g.edges = {{0, 2, 1}};
  testing::expect_error([&] { connectivity(g); }, {"joins 0 and 2 of 2 minima"});
  g.edges = {{0, 1, NAN}};
  testing::expect_error([&] { connectivity(g); }, {"between a and b is not finite"});
}

// Mueller-Brown's three minima A (-0.558, 1.442; -146.70), B (0.623, 0.028; -108.17) and
// C (-0.050, 0.467; -80.77): B and C merge at their saddle (0.212, 0.293; -72.25), A joins
// them at (-0.822, 0.624; -40.66). Three refined path runs, then the map.
TEST(Connectivity, MuellerBrownsBasinsMergeAtItsSaddles) {
  const std::string dir = testing::temp_dir();
  const char* A = "-0.558,1.442";
  const char* B = "0.623,0.028";
  const char* C = "-0.050,0.467";
  std::string files;
  for (auto [name, from, to] : {std::tuple{"ab", A, B}, std::tuple{"bc", B, C}, std::tuple{"ac", A, C}}) {
    const std::string out = dir + "/" + name;
    const testing::CommandResult r =
        testing::run_capture({testing::binary(), "path", "--landscape", "mueller-brown", "--from", from,
                              "--to", to, "--refine", "--threads", "1", "--out", out});
    ASSERT_EQ(r.status, 0) << r.err;
    files += (files.empty() ? "" : ",") + out + "/paths.csv";
  }
  const testing::CommandResult r =
      testing::run_capture({testing::binary(), "connectivity", "--paths", files, "--out", dir + "/map"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto [header, first, second] = testing::first_lines<3>(dir + "/map/tree.csv");
  EXPECT_EQ(header, "a,b,barrier");
  auto barrier = [](const std::string& line) { return std::stod(line.substr(line.rfind(',') + 1)); };
  EXPECT_NE(first.find("(0.623, 0.028)"), std::string::npos) << first;  // B-C first
  EXPECT_NE(first.find("(-0.050, 0.467)"), std::string::npos) << first;
  EXPECT_NEAR(barrier(first), -72.25, 0.1) << first;
  EXPECT_NEAR(barrier(second), -40.66, 0.1) << second;
  const std::string minima = testing::read_file(dir + "/map/minima.csv");
  EXPECT_NE(minima.find("(-0.558, 1.442),-146.6"), std::string::npos) << minima;
  EXPECT_NE(testing::read_file(dir + "/map/minimax.csv").find("(-0.558, 1.442),(0.623, 0.028),-40.6"),
            std::string::npos);
}

}  // namespace
}  // namespace landscape
