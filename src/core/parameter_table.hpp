// One declaration per parameter: a table, for a parameter struct T, of its fields with their
// names, bounds, help lines and (for enums) the names of their values. The default of a field
// is its member initialiser in T (a default-constructed T), never written again. From the one
// table come the command-line flags (cli/args.hpp: Args::declare, Args::read), the keys of the
// preset files (experiments/support/preset.cpp: a prefix + the name with '-' as '_') and the
// struct's check() (the same bounds, the UsageError naming the flag).
//
//   inline const ParameterTable<PathParams>& PathParams::table() {
// clang-format off
//     static const auto t = ParameterTable<PathParams>()
//         .field("terms", &PathParams::terms, "NF, sine terms of the path").range(1, 100000)
//         .field("lr", &PathParams::lr, "Adam's learning rate").above(0);
//     return t;
//   }
//
// Field types: bool (a switch on the command line; true|false in presets), int, long,
// std::uint64_t, double (finite), std::optional of a number ("none" until given),
// std::string (optionally one_of a list), an enum with a name table (EnumName), std::optional
// of an enum ("none" until given), a point std::array<double, N> ("x,y", the bounds apply to
// each coordinate; optional too), and std::vector of a number or an enum ("a,b,c", at least
// one item; the bounds apply to each).
// Bounds follow the field they bound: range(lo, hi), at_least, above, at_most, below.
// include() takes the fields of a member struct's own table (TrainConfig's sgd), optionally
// under a name prefix and only some of them (the preset keys of a study plan); include_base()
// those of a base struct (ModelOnData: --arch, --weights, --split, --images, --activation, --data).
//
// Problems are returned as text that names the value ("0 must be at least 1"); the caller adds
// where it came from (the flag, or file:line and the key) and its kind of error.
#pragma once

#include <algorithm>
#include <cerrno>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"

namespace landscape {

// One value of an enum and its name, e.g. {Optimizer::Lbfgs, "lbfgs"}.
template <class E>
struct EnumName {
  E value;
  // clang-format on
  const char* name;
};

// The value named `text`, else UsageError "--flag must be a | b | c, not 'text'".
template <class E>
E parse_enum(std::span<const EnumName<E>> names, const std::string& text, const std::string& flag);
template <class E>
std::string enum_name(std::span<const EnumName<E>> names, E value);
template <class E, std::size_t N>
E parse_enum(const EnumName<E> (&names)[N], const std::string& text, const std::string& flag) {
  return parse_enum(std::span<const EnumName<E>>(names), text, flag);
}
template <class E, std::size_t N>
std::string enum_name(const EnumName<E> (&names)[N], E value) {
  return enum_name(std::span<const EnumName<E>>(names), value);
}

// What a field knows besides its type: its name, help and bounds.
struct ParameterInfo {
  std::string name;  // the flag is --name; the preset key is prefix + name with '-' as '_'
  std::string help;
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  bool lower_open = false;                   // lower < x rather than lower <= x
  bool upper_open = false;                   // x < upper rather than x <= upper
  bool integral = false;                     // bounds print as integers
  bool is_switch = false;                    // bool: a flag without a value
  std::vector<std::string> choices;          // enum names, or the values a string may take
  std::vector<std::string> choice_suffixes;  // a string may also be any value ending in one (".json")
  std::string preset_name;                   // the preset key's name when it is not `name` (e.g. optimizers)
  // "" when lower <= x <= upper, else e.g. "0 must be at least 2".
  std::string range_problem(double x) const;
  std::string key(const std::string& prefix) const;  // prefix + name, '-' as '_'
};

namespace parameter_text {
// Each returns "" or the problem; `out` is set only when the text is good.
std::string parse_integer(const std::string& text, long long& out);
std::string parse_unsigned(const std::string& text, unsigned long long& out);
std::string parse_real(const std::string& text, double& out);
std::string parse_bool(const std::string& text, bool& out);
std::string number(double x);  // the shortest text that reads back to x
std::string trim(const std::string& text);
std::string key_form(std::string name);  // '-' as '_': a flag's name as a preset or settings key
std::vector<std::string> items(const std::string& text);           // "a, b" -> {"a", "b"}
std::string choice_list(const std::vector<std::string>& choices);  // "a | b"
}  // namespace parameter_text

// How one type of field reads and writes its text.
template <class M, class Enable = void>
struct ParameterValue;

template <class M>
struct ParameterValue<M, std::enable_if_t<std::is_integral_v<M> && !std::is_same_v<M, bool>>> {
  static std::string text(const M& v) { return std::to_string(v); }
  static std::string read(const std::string& s, const ParameterInfo& info, M& out) {
    if constexpr (std::is_unsigned_v<M>) {
      unsigned long long x = 0;
      if (auto problem = parameter_text::parse_unsigned(s, x); !problem.empty()) return problem;
      if (x > std::numeric_limits<M>::max()) return s + " is too large";
      out = M(x);
    } else {
      long long x = 0;
      if (auto problem = parameter_text::parse_integer(s, x); !problem.empty()) return problem;
      if (x < std::numeric_limits<M>::min() || x > std::numeric_limits<M>::max())
        return s + " is out of range";
      out = M(x);
    }
    return check(out, info);
  }
  static std::string check(const M& v, const ParameterInfo& info) { return info.range_problem(double(v)); }
};

template <>
struct ParameterValue<double> {
  static std::string text(const double& v) { return parameter_text::number(v); }
  static std::string read(const std::string& s, const ParameterInfo& info, double& out) {
    if (auto problem = parameter_text::parse_real(s, out); !problem.empty()) return problem;
    return check(out, info);
  }
  static std::string check(const double& v, const ParameterInfo& info);
};

template <>
struct ParameterValue<bool> {
  static std::string text(const bool& v) { return v ? "true" : "false"; }
  static std::string read(const std::string& s, const ParameterInfo&, bool& out) {
    return parameter_text::parse_bool(s, out);
  }
  static std::string check(const bool&, const ParameterInfo&) { return ""; }
};

template <>
struct ParameterValue<std::string> {
  static std::string text(const std::string& v) { return v; }
  static std::string read(const std::string& s, const ParameterInfo& info, std::string& out) {
    out = s;
    return check(out, info);
  }
  static std::string check(const std::string& v, const ParameterInfo& info);
};

// A point of N finite coordinates, "x,y"; the bounds apply to each.
template <std::size_t N>
struct ParameterValue<std::array<double, N>> {
  static std::string text(const std::array<double, N>& v) {
    std::string s;
    for (double x : v) {
      if (!s.empty()) s += ',';
      s += parameter_text::number(x);
    }
    return s;
  }
  static std::string read(const std::string& s, const ParameterInfo& info, std::array<double, N>& out) {
    const std::vector<std::string> items = parameter_text::items(s);
    std::array<double, N> p{};
    bool good = items.size() == N;
    for (std::size_t k = 0; good && k < N; ++k) good = parameter_text::parse_real(items[k], p[k]).empty();
    if (!good) return "expected " + std::to_string(N) + " numbers separated by commas, got '" + s + "'";
    if (std::string problem = check(p, info); !problem.empty()) return problem;
    out = p;
    return "";
  }
  static std::string check(const std::array<double, N>& v, const ParameterInfo& info) {
    for (double x : v)
      if (std::string problem = ParameterValue<double>::check(x, info); !problem.empty()) return problem;
    return "";
  }
};

// An optional number: empty text (the default "none") leaves it unset.
template <class M>
struct ParameterValue<std::optional<M>> {
  static std::string text(const std::optional<M>& v) { return v ? ParameterValue<M>::text(*v) : ""; }
  static std::string read(const std::string& s, const ParameterInfo& info, std::optional<M>& out) {
    M x{};
    if (std::string problem = ParameterValue<M>::read(s, info, x); !problem.empty()) return problem;
    out = x;
    return "";
  }
  static std::string check(const std::optional<M>& v, const ParameterInfo& info) {
    return v ? ParameterValue<M>::check(*v, info) : "";
  }
};

// An enum: its names are in info.choices, in the order of `names`; the value is found by name.
template <class E>
struct EnumValue {
  std::span<const EnumName<E>> names;
  std::string text(E v) const { return enum_name(names, v); }
  std::string read(const std::string& s, E& out) const {
    for (const EnumName<E>& n : names)
      if (s == n.name) {
        out = n.value;
        return "";
      }
    std::vector<std::string> all;
    for (const EnumName<E>& n : names) all.push_back(n.name);
    return "expected " + parameter_text::choice_list(all) + ", got '" + s + "'";
  }
};

template <class T>
class ParameterTable {
 public:
  struct Parameter : ParameterInfo {
    std::function<std::string(const T&)> text;  // the value as flag text
    // "" or the problem; the new value is set only when the text is good.
    std::string read(T& t, const std::string& s) const { return read_with(t, s, *this); }
    std::string check(const T& t) const { return check_with(t, *this); }
    std::function<std::string(T&, const std::string&, const ParameterInfo&)> read_with;
    std::function<std::string(const T&, const ParameterInfo&)> check_with;
  };

  // A field of a number, bool or string type (member of T).
  template <class M>
  ParameterTable& field(std::string name, M T::*member, std::string help);
  // A field of an enum type, or a list of one, with its name table.
  template <class E>
  ParameterTable& field(std::string name, E T::*member, std::string help,
                        std::type_identity_t<std::span<const EnumName<E>>> names);
  template <class E>
  ParameterTable& field(std::string name, std::vector<E> T::*member, std::string help,
                        std::type_identity_t<std::span<const EnumName<E>>> names);
  // An optional enum: unset (its text "") until given.
  template <class E>
  ParameterTable& field(std::string name, std::optional<E> T::*member, std::string help,
                        std::type_identity_t<std::span<const EnumName<E>>> names);
  // A list of numbers, "a,b,c"; the bounds apply to every item.
  template <class M>
  ParameterTable& field(std::string name, std::vector<M> T::*member, std::string help);
  // The fields of a member struct's own table (e.g. TrainConfig's sgd), named prefix + their
  // name; only those in `names` when it is not empty.
  template <class S>
  ParameterTable& include(S T::*member, const ParameterTable<S>& table, const std::string& prefix = "",
                          const std::vector<std::string>& names = {});
  // The fields of a base struct's table under their own names (the model-and-data fields that
  // every study evaluating given weights shares: experiments/support/model_on_data.hpp).
  template <class B>
  ParameterTable& include_base(const ParameterTable<B>& table);

  // Bounds of the field declared last.
  ParameterTable& range(double lower, double upper) { return at_least(lower).at_most(upper); }
  ParameterTable& at_least(double lower) { return lower_bound(lower, false); }
  ParameterTable& above(double lower) { return lower_bound(lower, true); }
  ParameterTable& at_most(double upper) { return upper_bound(upper, false); }
  ParameterTable& below(double upper) { return upper_bound(upper, true); }
  // The values a string field may take.
  ParameterTable& one_of(std::vector<std::string> values, std::vector<std::string> or_ending_in = {}) {
    last().choices = std::move(values);
    last().choice_suffixes = std::move(or_ending_in);
    return *this;
  }
  // The name in preset keys, when it differs from the flag's (spread's --optimizer is the key
  // spread_optimizers).
  ParameterTable& preset_name(std::string name) {
    last().preset_name = std::move(name);
    return *this;
  }

  const std::vector<Parameter>& parameters() const { return parameters_; }
  // The same table without these fields: a command that takes only part of a shared table
  // (align takes a path problem's model fields, not its 2-D surface) declares only that part.
  ParameterTable without(std::initializer_list<std::string> names) const {
    ParameterTable t = *this;
    std::erase_if(t.parameters_, [&](const Parameter& p) {
      return std::find(names.begin(), names.end(), p.name) != names.end();
    });
    return t;
  }
  const Parameter* find(const std::string& name) const {
    for (const Parameter& p : parameters_)
      if (p.name == name) return &p;
    return nullptr;
  }
  // Every field within its bounds, else UsageError "--name: <problem>".
  void check(const T& value) const {
    for (const Parameter& p : parameters_)
      if (std::string problem = p.check(value); !problem.empty())
        throw UsageError("--" + p.name + ": " + problem);
  }

 private:
  // The fields of `table`, each reached through part(t) (a member, or a base).
  template <class S, class Part>
  ParameterTable& adopt(const ParameterTable<S>& table, Part part, const std::string& prefix,
                        const std::vector<std::string>& names);
  Parameter& last() {
    if (parameters_.empty()) throw Error("internal: a bound before any field");
    return parameters_.back();
  }
  // The part an enum field and a list of one share: name, help, the names it takes, and no
  // bounds to check.
  template <class E>
  static Parameter enum_parameter(std::string name, std::string help, std::span<const EnumName<E>> names) {
    Parameter p;
    p.name = std::move(name);
    p.help = std::move(help);
    for (const EnumName<E>& n : names) p.choices.push_back(n.name);
    p.check_with = [](const T&, const ParameterInfo&) { return std::string(); };
    return p;
  }
  // open: the bound itself is outside the range.
  ParameterTable& lower_bound(double lower, bool open) {
    last().lower = lower;
    last().lower_open = open;
    return *this;
  }
  ParameterTable& upper_bound(double upper, bool open) {
    last().upper = upper;
    last().upper_open = open;
    return *this;
  }
  std::vector<Parameter> parameters_;
};

// ---- implementation ----

template <class E>
E parse_enum(std::span<const EnumName<E>> names, const std::string& text, const std::string& flag) {
  E value{};
  if (std::string problem = EnumValue<E>{names}.read(text, value); !problem.empty())
    throw UsageError("--" + flag + ": " + problem);
  return value;
}

template <class E>
std::string enum_name(std::span<const EnumName<E>> names, E value) {
  for (const EnumName<E>& n : names)
    if (n.value == value) return n.name;
  throw Error("internal: an enum value without a name");
}

template <class T>
template <class M>
ParameterTable<T>& ParameterTable<T>::field(std::string name, M T::*member, std::string help) {
  using V = ParameterValue<M>;
  Parameter p;
  p.name = std::move(name);
  p.help = std::move(help);
  if constexpr (requires { typename M::value_type; } && !std::is_same_v<M, std::string>)
    p.integral = std::is_integral_v<typename M::value_type>;  // std::optional
  else
    p.integral = std::is_integral_v<M>;
  p.is_switch = std::is_same_v<M, bool>;
  p.text = [member](const T& t) { return V::text(t.*member); };
  p.read_with = [member](T& t, const std::string& s, const ParameterInfo& info) {
    return V::read(s, info, t.*member);
  };
  p.check_with = [member](const T& t, const ParameterInfo& info) { return V::check(t.*member, info); };
  parameters_.push_back(std::move(p));
  return *this;
}

template <class T>
template <class E>
ParameterTable<T>& ParameterTable<T>::field(std::string name, E T::*member, std::string help,
                                            std::type_identity_t<std::span<const EnumName<E>>> names) {
  Parameter p = enum_parameter(std::move(name), std::move(help), names);
  const EnumValue<E> v{names};
  p.text = [v, member](const T& t) { return v.text(t.*member); };
  p.read_with = [v, member](T& t, const std::string& s, const ParameterInfo&) {
    return v.read(s, t.*member);
  };
  parameters_.push_back(std::move(p));
  return *this;
}

template <class T>
template <class E>
ParameterTable<T>& ParameterTable<T>::field(std::string name, std::vector<E> T::*member, std::string help,
                                            std::type_identity_t<std::span<const EnumName<E>>> names) {
  Parameter p = enum_parameter(std::move(name), std::move(help), names);
  const EnumValue<E> v{names};
  p.text = [v, member](const T& t) {
    std::string s;
    for (E e : t.*member) {
      if (!s.empty()) s += ',';
      s += v.text(e);
    }
    return s;
  };
  p.read_with = [v, member](T& t, const std::string& s, const ParameterInfo&) {
    std::vector<E> out;
    for (const std::string& item : parameter_text::items(s)) {
      E e{};
      if (std::string problem = v.read(item, e); !problem.empty()) return problem;
      out.push_back(e);
    }
    if (out.empty()) return std::string("give at least one value");
    t.*member = std::move(out);
    return std::string();
  };
  parameters_.push_back(std::move(p));
  return *this;
}

template <class T>
template <class E>
ParameterTable<T>& ParameterTable<T>::field(std::string name, std::optional<E> T::*member, std::string help,
                                            std::type_identity_t<std::span<const EnumName<E>>> names) {
  const EnumValue<E> v{names};
  Parameter p = enum_parameter(std::move(name), std::move(help), names);
  p.read_with = [v, member](T& t, const std::string& s, const ParameterInfo&) {
    E e{};
    std::string problem = v.read(s, e);
    if (problem.empty()) t.*member = e;  // set only when the name is good
    return problem;
  };
  p.text = [v, member](const T& t) { return t.*member ? v.text(*(t.*member)) : std::string(); };
  parameters_.push_back(std::move(p));
  return *this;
}

template <class T>
template <class M>
ParameterTable<T>& ParameterTable<T>::field(std::string name, std::vector<M> T::*member, std::string help) {
  using V = ParameterValue<M>;
  Parameter p;
  p.name = std::move(name);
  p.help = std::move(help);
  p.integral = std::is_integral_v<M>;
  p.text = [member](const T& t) {
    std::string s;
    for (const M& x : t.*member) {
      if (!s.empty()) s += ',';
      s += V::text(x);
    }
    return s;
  };
  p.read_with = [member](T& t, const std::string& s, const ParameterInfo& info) {
    std::vector<M> out;
    for (const std::string& item : parameter_text::items(s)) {
      M x{};
      if (std::string problem = V::read(item, info, x); !problem.empty()) return problem;
      out.push_back(x);
    }
    if (out.empty()) return std::string("give at least one value");
    t.*member = std::move(out);
    return std::string();
  };
  p.check_with = [member](const T& t, const ParameterInfo& info) {
    for (const M& x : t.*member)
      if (std::string problem = V::check(x, info); !problem.empty()) return problem;
    return std::string();
  };
  parameters_.push_back(std::move(p));
  return *this;
}

template <class T>
template <class S>
ParameterTable<T>& ParameterTable<T>::include(S T::*member, const ParameterTable<S>& table,
                                              const std::string& prefix,
                                              const std::vector<std::string>& names) {
  return adopt(
      table, [member](auto& t) -> auto& { return t.*member; }, prefix, names);
}

template <class T>
template <class B>
ParameterTable<T>& ParameterTable<T>::include_base(const ParameterTable<B>& table) {
  static_assert(std::is_base_of_v<B, T>, "include_base: B must be a base of T");
  const auto base = [](auto& t) -> decltype(auto) {
    if constexpr (std::is_const_v<std::remove_reference_t<decltype(t)>>)
      return static_cast<const B&>(t);
    else
      return static_cast<B&>(t);
  };
  return adopt(table, base, "", {});
}

template <class T>
template <class S, class Part>
ParameterTable<T>& ParameterTable<T>::adopt(const ParameterTable<S>& table, Part part,
                                            const std::string& prefix,
                                            const std::vector<std::string>& names) {
  for (const std::string& name : names)
    if (!table.find(name)) throw Error("internal: no parameter '" + name + "' to include");
  for (const auto& inner : table.parameters()) {
    bool wanted = names.empty();
    for (const std::string& name : names) wanted = wanted || name == inner.name;
    if (!wanted) continue;
    Parameter p;
    static_cast<ParameterInfo&>(p) = inner;
    p.name = prefix + inner.name;
    if (!inner.preset_name.empty()) p.preset_name = prefix + inner.preset_name;
    p.text = [part, f = inner.text](const T& t) { return f(part(t)); };
    p.read_with = [part, f = inner.read_with](T& t, const std::string& s, const ParameterInfo& i) {
      return f(part(t), s, i);
    };
    p.check_with = [part, f = inner.check_with](const T& t, const ParameterInfo& i) { return f(part(t), i); };
    parameters_.push_back(std::move(p));
  }
  return *this;
}

}  // namespace landscape
