// A directory of results that a run fills and a rerun resumes. This is the one owner of how a
// run's results reach disk (SQLite's discipline: every caller goes through it, none reinvents
// it): it takes the directory's lock, keeps the settings the results were made with, writes
// files atomically (io/atomic_file.hpp), reads them back whole, and writes the manifest.
//
//   DIR/.lock          "pid P\nhost H\n" of the process writing here; removed when it is done
//                      (DIR/.lock-<i>-of-<n> for shard i of n: shards write side by side)
//   DIR/settings.txt   what defines the results (any name: a study keeps its preset.conf)
//   DIR/manifest.json  how they were made: provenance (io/provenance.hpp) + the caller's fields
//
// A part of the results is finished when its mark exists, a file the caller writes last (a
// training run's summary.csv, a study's manifest.json): finished(mark).
//
// The policy for a directory holding results of other settings is the caller's, written where
// it calls require_settings: Refuse (an Error showing the lines that differ: results worth
// keeping are never thrown away) or Restart (a message on stderr naming what it removes).
#pragma once

#include <string>
#include <vector>

#include "core/settings_text.hpp"
#include "io/json_writer.hpp"

namespace landscape {

enum class OnOtherSettings {
  Refuse,   // throw an Error naming the directory and the settings that differ
  Restart,  // say so on stderr, remove the results listed, keep the new settings
};

class RunDirectory {
 public:
  // Creates DIR if needed and takes its lock. Error when another live process on this host
  // holds it (naming its pid and host), or a process on another host does (its liveness cannot
  // be checked); a lock whose process has gone is taken over with a note on stderr. The same
  // process may open a directory it already holds (a study opening a stage's directory twice).
  // Unsharded, also removes the temporaries of writes that a kill cut off.
  explicit RunDirectory(std::string dir, int shard_index = 0, int shard_count = 1);
  ~RunDirectory();  // releases the lock
  RunDirectory(const RunDirectory&) = delete;
  RunDirectory& operator=(const RunDirectory&) = delete;

  const std::string& path() const { return dir_; }
  std::string file(const std::string& name) const { return dir_ + "/" + name; }

  // DIR/<file> holds the settings of the results. Absent: written. The same settings under
  // the compatibility rule (core/settings_text.hpp, docs/algorithms.md §17): nothing to do, the
  // run resumes and an older text is left as it is. Different: Refuse throws, naming the lines
  // that differ; Restart removes `results` (files or folders under DIR) and writes the new
  // settings. Returns true when the directory had results of these settings or none (false
  // after a restart).
  bool require_settings(const Settings& settings, OnOtherSettings policy,
                        const std::vector<std::string>& results = {},
                        const std::string& file = "settings.txt") const;
  // The same for a text kept verbatim (a study's preset.conf): equal means byte for byte.
  bool require_settings(const std::string& settings, OnOtherSettings policy,
                        const std::vector<std::string>& results = {},
                        const std::string& file = "settings.txt") const;

  bool finished(const std::string& mark) const;                        // DIR/mark exists
  void write(const std::string& name, const std::string& text) const;  // atomically
  std::string read(const std::string& name) const;                     // whole; Error if unreadable
  void remove(const std::string& name) const;                          // DIR/name, if it is there
  // DIR/name (manifest.json), the object's text and a newline, atomically.
  void write_manifest(const JsonObject& manifest, const std::string& name = "manifest.json") const;

 private:
  // The policy for settings `differences` ("" when the same) from those of DIR/name.
  bool settle(const std::string& differences, const std::string& settings, OnOtherSettings policy,
              const std::vector<std::string>& results, const std::string& name) const;
  std::string dir_, lock_path_;
};

// The lines in which two settings texts differ, as "\n  there: A\n  now:   B" per line.
std::string settings_difference(const std::string& there, const std::string& now);

}  // namespace landscape
