#!/bin/sh
# SPDX-License-Identifier: MIT
# t4561-modeldb-opclass-family.sh - the model database kept between runs
# (issue 12) and operator classes that list cross-type members in a
# family they name (issue 10): PostgreSQL ties those members to the
# family, so they are read as its loose members and stay when the class
# is dropped.  A change of such a class is brought in incrementally (the
# family's tied members dropped first, and every class of the family made
# again), not by a failed step and a full rebuild; the result is what a
# new model database holds.
. "$(dirname "$0")/lib.sh"

cache_project
export DATABASE_URL="$DBURL"
cat >schema/public.yaml <<'EOM'
schema: public
operator_families:
  fam:
    using: btree
operator_classes:
  c4:
    using: btree
    for_type: int
    family: fam
    operators:
      1: ["<", "< (int, bigint)"]
      2: "<="
      3: "="
      4: ">="
      5: ">"
    functions:
      1: ["btint4cmp(int, int)", "btint48cmp(int, bigint)"]
  c8:
    using: btree
    for_type: bigint
    family: fam
    operators:
      1: ["<", "< (bigint, int)"]
      2: "<="
      3: "="
      4: ">="
      5: ">"
    functions:
      1: ["btint8cmp(bigint, bigint)", "btint84cmp(bigint, int)"]
tables:
  t:
    columns:
      id: int
EOM
run -v diff
is_rc 0 "the first run" || diag "$ERR"
like "$ERR" "model database sg_models_[a-z0-9_]*: none yet" "a new model database"

# the class changed (its comment), then a member of the other class
sed -i 's/^    family: fam$/    family: fam\n    comment: four/' schema/public.yaml
sed -i '0,/comment: four/! s/comment: four/comment: eight/' schema/public.yaml
run -v diff
is_rc 0 "a class's comment changed" || diag "$ERR"
unlike "$ERR" "materialising every model|error" "brought in incrementally: no failed step, no rebuild"
like "$ERR" "model database: [0-9]+ statements for [0-9]+ changes" "by statements"
cp "$T/out" "$T/incremental"
run diff --no-cache
is "$(cat "$T/out")" "$(cat "$T/incremental")" "the same as from a new model database"

sed -i 's/      5: ">"/      5: ">"\n      # none/; 0,/btint48cmp(int, bigint)/ s/, "btint48cmp(int, bigint)"//' schema/public.yaml
run -v diff
is_rc 0 "a cross-type member taken out of a class" || diag "$ERR"
unlike "$ERR" "materialising every model|error" "incrementally again"
cp "$T/out" "$T/incremental"
run diff --no-cache
is "$(cat "$T/out")" "$(cat "$T/incremental")" "the same as from a new model database"
like "$(cat "$T/out")" "ADD FUNCTION 1 \\(bigint, integer\\) btint84cmp" "the other class's tied member is still there"
unlike "$(cat "$T/out")" "btint48cmp" "the one taken out is gone"

done_testing
