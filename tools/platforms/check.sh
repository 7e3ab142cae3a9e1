#!/usr/bin/env bash
# tools/platforms/check.sh — do a real Moodle and Canvas's QTI converter accept symnet's class sets?
# (It cannot run in CI: it needs git snapshots of Moodle and of the converter.  The suite's
# tests/test_quiz.py stands in for it with the structure they require.)
#
# 1. installs PHP + PostgreSQL from Debian (bookworm: PHP 8.2, PostgreSQL 15),
# 2. installs Moodle from a git dir (a snapshot of alonsoarias/Moodle_Dev, a site on Moodle 4.5.5+,
#    was used first; any Moodle 4.5 / 5.x git dir works, e.g. a clone of moodle/moodle
#    with MOODLE_REF=v4.5.5), core plugins only, with admin/cli/install.php --non-interactive,
# 3. builds symnet from SYMNET_SRC in a venv and writes the class sets (.xml, .gift, .zip),
# 4. imports every .xml / .gift through Moodle's own import code (qformat_xml / qformat_gift,
#    driven like question/bank/importquestions/import.php with that form's defaults), prints what
#    Moodle stored, and attempts every question with Moodle's question engine (right numbers;
#    each slip number in turn) — see $WORK/out/moodle_import.txt,
# 5. runs Canvas's QTI converter (instructure/QTIMigrationTool, the command Canvas runs) on each .zip,
#    then reads its QTI 2.1 output with Canvas's own rules (gems/plugins/qti_exporter:
#    numeric_interaction.rb get_canvas_answers, assessment_test_converter.rb process_section):
#    each question's margin against the tolerance its title shows, answers Canvas would store as
#    0 (below 0.0001), and the question groups (sections with a selection rule) and their picks.
#
# Class sets: 2-2-1 sigmoid (30 variants), 2-2-2 sigmoid cross-entropy, 2-2-1 relu, and a deep
# sigmoid net 1-1-1-1-1-1-1 seed 5 (30 variants: its ∂L/∂w1 falls below 0.0001).
#
# Exit status 0 only if every import succeeded, every right answer scored full marks, every slip
# showed its own feedback and scored 0 on its part, no stored feedback keeps a backslash, and the
# QTI converter turned every package into QTI 2.1 items.
#
# Usage (as root), from a symnet checkout (its committed HEAD is what is checked):
#   MOODLE_GIT_DIR=<git dir of a Moodle 4.5/5.x snapshot> QTI_TOOL_GIT_DIR=<git dir of QTIMigrationTool> \
#   WORK=<scratch folder> bash tools/platforms/check.sh
# (git dirs of snapshots of github alonsoarias/Moodle_Dev — a site on Moodle 4.5.5+ — and of
# github instructure/QTIMigrationTool)
# Knobs: WORK, SYMNET_SRC, MOODLE_GIT_DIR, MOODLE_REF, QTI_TOOL_GIT_DIR, DBNAME, SKIP_APT=1,
#   REUSE=1 (a second run in the same WORK: keep its Moodle site, database and symnet venv; the
#   class sets are written again from SYMNET_SRC's HEAD and imported into fresh courses)
set -uo pipefail

WORK=${WORK:-$(mktemp -d)}
SYMNET_SRC=${SYMNET_SRC:-$(pwd)}
MOODLE_GIT_DIR=${MOODLE_GIT_DIR:?set MOODLE_GIT_DIR to a Moodle git dir}
MOODLE_REF=${MOODLE_REF:-HEAD}
QTI_TOOL_GIT_DIR=${QTI_TOOL_GIT_DIR:?set QTI_TOOL_GIT_DIR to a QTIMigrationTool git dir}
DBNAME=${DBNAME:-moodle_check}
DBUSER=${DBUSER:-moodleuser}
DBPASS=${DBPASS:-moodlepass}
PHP="php -d max_input_vars=5000"   # Moodle's installer refuses to run with PHP's default of 1000

say() { printf '\n### %s\n' "$*"; }
die() { echo "FATAL: $*" >&2; exit 2; }

mkdir -p "$WORK" "$WORK/out" || die "cannot create $WORK"
cd "$WORK"

# ---------------------------------------------------------------- 1. PHP + PostgreSQL
if [ "${SKIP_APT:-0}" != 1 ]; then
    say "apt: PHP and PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends php-cli php-xml php-mbstring php-curl php-zip \
        php-gd php-intl php-soap php-pgsql php-opcache postgresql git unzip python3-venv >/dev/null \
        || die "apt-get install failed"
fi
php -v | head -1
say "PostgreSQL"
if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header | while read -r ver name _; do pg_ctlcluster "$ver" "$name" start 2>/dev/null || true; done
    pg_lsclusters
else
    service postgresql start || die "cannot start postgresql"
fi
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$DBUSER'\"" | grep -q 1 \
    || su postgres -c "psql -c \"CREATE USER $DBUSER WITH PASSWORD '$DBPASS';\"" || die "cannot create db user"
REUSED=0
[ "${REUSE:-0}" = 1 ] && [ -f "$WORK/moodle/config.php" ] && [ -x "$WORK/venv/bin/symnet" ] && REUSED=1
if [ $REUSED = 0 ]; then
su postgres -c "dropdb --if-exists $DBNAME" && su postgres -c "createdb -E UTF8 -O $DBUSER $DBNAME" || die "cannot create database"

# ---------------------------------------------------------------- 2. Moodle
say "Moodle source from $MOODLE_GIT_DIR ($MOODLE_REF)"
[ -d "$MOODLE_GIT_DIR" ] || die "no Moodle git dir at $MOODLE_GIT_DIR"
rm -rf "$WORK/moodle" "$WORK/moodledata"
mkdir -p "$WORK/moodle" "$WORK/moodledata" && chmod 777 "$WORK/moodledata"
# A stored snapshot may lack its largest blobs; leave those paths out of the tree.
excludes=()
while IFS= read -r -d '' path; do
    excludes+=(":(exclude)$path"); echo "  (absent from the snapshot, left out: $path)"
done < <(python3 - "$MOODLE_GIT_DIR" "$MOODLE_REF" <<'PY'
import subprocess, sys
gd, ref = sys.argv[1], sys.argv[2]
out = subprocess.run(['git', '--git-dir=' + gd, 'ls-tree', '-r', '-z', ref], capture_output=True, check=True).stdout
entries = [e.split(b'\t', 1) for e in out.split(b'\0') if e]
blobs = [(meta.split()[2], path) for meta, path in entries if meta.split()[1] == b'blob']
chk = subprocess.run(['git', '--git-dir=' + gd, 'cat-file', '--batch-check'],
                     input=b'\n'.join(h for h, _ in blobs) + b'\n', capture_output=True).stdout.splitlines()
for (h, path), line in zip(blobs, chk):
    if line.endswith(b' missing'):
        sys.stdout.buffer.write(path + b'\0')
PY
)
git --git-dir="$MOODLE_GIT_DIR" archive "$MOODLE_REF" -- . "${excludes[@]}" | tar -x -C "$WORK/moodle" \
    || die "git archive failed"
cd "$WORK/moodle"
rm -f config.php                                  # a snapshot of someone's site may carry its config
cat > "$WORK/listcontrib.php" <<'PHP'
<?php
// Lists plugin directories present in this Moodle tree that are not in Moodle's own standard plugin list.
define('MOODLE_INTERNAL', 1);
$root = $argv[1];
$compjson = $argv[2] ?? ($root . "/lib/components.json");
require_once(file_exists($root . '/lib/classes/plugin_manager.php') ? $root . '/lib/classes/plugin_manager.php' : $root . '/public/lib/classes/plugin_manager.php');
$comp = json_decode(file_get_contents($compjson), true);
$types = $comp['plugintypes'];
// subplugin types
foreach ($comp['subsystems'] as $s => $d) {}
$extra = [];
foreach (array_merge(glob($root . '/*/*/db/subplugins.json'), glob($root . '/*/*/*/db/subplugins.json'), glob($root . '/public/*/*/db/subplugins.json'), glob($root . '/public/*/*/*/db/subplugins.json')) as $f) {
    $j = json_decode(file_get_contents($f), true);
    foreach (($j['subplugintypes'] ?? $j['plugintypes'] ?? []) as $t => $d) {
        $types[$t] = isset($j['subplugintypes']) ? substr(dirname(dirname($f)), strlen($root) + 1) . '/' . $d : $d;
    }
}
foreach ($types as $type => $dir) {
    $std = core_plugin_manager::standard_plugins_list($type);
    if ($std === false) { $std = []; }
    $path = $root . '/' . $dir;
    if (!is_dir($path)) continue;
    foreach (scandir($path) as $name) {
        if ($name[0] === '.' || !is_dir("$path/$name") || !file_exists("$path/$name/version.php")) continue;
        if (!in_array($name, $std)) echo "$dir/$name\n";
    }
}
PHP
contrib=$(php "$WORK/listcontrib.php" "$WORK/moodle")
if [ -n "$contrib" ]; then
    echo "  removing plugins that are not in Moodle's standard plugin list:"; echo "$contrib" | sed 's/^/    /'
    echo "$contrib" | while read -r d; do rm -rf "$WORK/moodle/$d"; done
fi
grep -E '^\$release' version.php public/version.php 2>/dev/null

say "Moodle install (admin/cli/install.php --non-interactive); log: $WORK/out/install.log"
$PHP admin/cli/install.php --non-interactive --agree-license --lang=en \
    --wwwroot=http://localhost --dataroot="$WORK/moodledata" \
    --dbtype=pgsql --dbhost=localhost --dbname="$DBNAME" --dbuser="$DBUSER" --dbpass="$DBPASS" --prefix=mdl_ \
    --fullname="symnet check" --shortname=symnet --adminuser=admin --adminpass='Admin-pass-1' \
    --adminemail=admin@example.com > "$WORK/out/install.log" 2>&1
rc=$?
grep -v '^++ .*Success' "$WORK/out/install.log" | grep -vE '^-->|^$' | tail -5
[ $rc = 0 ] || die "Moodle install failed (rc $rc), see $WORK/out/install.log"

else
    say "reusing the Moodle site, database and venv in $WORK (REUSE=1)"
fi

# ---------------------------------------------------------------- 3. symnet and its class sets
say "symnet from $SYMNET_SRC"
cd "$WORK"
rm -rf "$WORK/src" "$WORK/files"
[ $REUSED = 1 ] || rm -rf "$WORK/venv"
commit=$(git -C "$SYMNET_SRC" rev-parse HEAD) || die "no git checkout at $SYMNET_SRC"
git clone -q "$SYMNET_SRC" "$WORK/src" && git -C "$WORK/src" checkout -q "$commit" \
    && git -C "$WORK/src" log --oneline -1 || die "clone failed"
[ $REUSED = 1 ] || { python3 -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install -q -e "$WORK/src[plot]" 2>&1 | grep -v '^WARNING: Location' | tail -3; }
mkdir -p "$WORK/files" && cd "$WORK/files"
S="$WORK/venv/bin/symnet"
for ext in xml gift zip; do
    $S quiz 2-2-1 --activation sigmoid --variants 30 --seed 7 -o class.$ext || die "symnet quiz failed"
    $S quiz 2-2-2 --activation sigmoid --loss cross_entropy --variants 5 --seed 11 -o ce.$ext || die "symnet quiz failed"
    $S quiz 2-2-1 --activation relu --variants 5 --seed 3 -o relu.$ext || die "symnet quiz failed"
    $S quiz 1-1-1-1-1-1-1 --activation sigmoid --variants 30 --seed 5 -o deep.$ext || die "symnet quiz failed"
done

# ---------------------------------------------------------------- 4. import + attempts in Moodle
say "import into Moodle and attempt every question; full log: $WORK/out/moodle_import.txt"
cat > "$WORK/import_check.php" <<'PHP'
<?php
// Imports question files through Moodle's own import code (qformat_xml / qformat_gift, driven
// the way question/bank/importquestions/import.php drives it, with that form's defaults), prints
// what Moodle stored, then attempts every imported question with Moodle's question engine:
// once with the right numbers, and once per slip answer (a 0% answer that has feedback) with
// that one part replaced by the slip's number.
//
// Usage: MOODLE_DIR=/path/to/moodle php -d max_input_vars=5000 import_check.php OUTDIR FILE...
// (MOODLE_DIR is the folder holding config.php.)

define('CLI_SCRIPT', true);
$moodledir = getenv('MOODLE_DIR') ?: 'moodle';
require($moodledir . '/config.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->dirroot . '/question/format.php');
require_once($CFG->dirroot . '/question/engine/lib.php');
require_once($CFG->dirroot . '/course/lib.php');

// Show every debugging() message and PHP notice, as a developer-mode site would.
$CFG->debug = E_ALL;
$CFG->debugdisplay = 1;
$CFG->debugdeveloper = true;
error_reporting(E_ALL);
ini_set('display_errors', '1');

$outdir = $argv[1];
$files = array_slice($argv, 2);
@mkdir($outdir, 0777, true);

\core\session\manager::set_user(get_admin());

$summary = [];

function out($s = '') { echo $s, "\n"; }
function short($s, $n = 200) {
    $s = preg_replace('/\s+/', ' ', (string)$s);
    return core_text::strlen($s) > $n ? core_text::substr($s, 0, $n) . '…' : $s;
}
function plain($html) {
    $html = preg_replace('~<br\s*/?>~i', ' | ', $html);
    return trim(preg_replace('/\s+/', ' ', html_entity_decode(strip_tags($html), ENT_QUOTES | ENT_HTML5, 'UTF-8')));
}

/** Where Moodle puts a question bank for a course: a course-context category (4.x) or a qbank module (5.x). */
function bank_context_for_course($course) {
    global $CFG;
    if (class_exists('\core_question\local\bank\question_bank_helper')
            && method_exists('\core_question\local\bank\question_bank_helper', 'get_default_open_instance_system_type')) {
        // Moodle 5.0+: questions live in a mod_qbank instance.
        $cm = \core_question\local\bank\question_bank_helper::get_default_open_instance_system_type($course, true);
        return context_module::instance($cm->id);
    }
    return context_course::instance($course->id);
}

out("Moodle {$CFG->release}");

foreach ($files as $file) {
    $base = basename($file);
    $ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
    $format = $ext === 'xml' ? 'xml' : ($ext === 'gift' || $ext === 'txt' ? 'gift' : null);
    out();
    out(str_repeat('=', 100));
    out("FILE $base  (format: " . ($format ?? 'none') . ')');
    out(str_repeat('=', 100));
    if (!$format) {
        out('  no Moodle import format for this extension; skipped');
        continue;
    }
    require_once($CFG->dirroot . "/question/format/$format/format.php");
    // A fresh course (and so a fresh question bank) for each file.
    $stamp = date('YmdHis') . '_' . getmypid() . '_' . preg_replace('/\W/', '_', $base);
    $course = create_course((object)[
        'fullname' => 'symnet import check ' . $stamp,
        'shortname' => 'symnet_' . $stamp,
        'category' => $DB->get_field_select('course_categories', 'MIN(id)', '1=1'),
    ]);
    $context = bank_context_for_course($course);
    out("course id {$course->id}; question bank context {$context->id} (" . $context->get_context_name() . ")");
    $PAGE = new moodle_page();
    $PAGE->set_context($context);
    $PAGE->set_url('/question/bank/importquestions/import.php');
    $PAGE->set_course($course);

    // The import page's defaults: into the default category of the course's bank, category
    // and context from the file, grades must match exactly ("error"), stop on error.
    $defaultcat = question_make_default_categories([$context]);
    $contexts = new core_question\local\bank\question_edit_contexts($context);
    $classname = 'qformat_' . $format;
    $qformat = new $classname();
    $qformat->setCategory($defaultcat);
    $qformat->setContexts($contexts->having_one_edit_tab_cap('import'));
    $qformat->setCourse($course);
    $tmp = make_request_directory() . '/' . $base;
    copy($file, $tmp);
    $qformat->setFilename($tmp);
    $qformat->setRealfilename($base);
    $qformat->setMatchgrades('error');
    $qformat->setCatfromfile(true);
    $qformat->setContextfromfile(true);
    $qformat->setStoponerror(true);

    ob_start();
    $ok = null;
    $exception = null;
    try {
        $ok = $qformat->importpreprocess() && $qformat->importprocess() && $qformat->importpostprocess();
    } catch (Throwable $e) {
        $exception = $e;
    }
    $html = ob_get_clean();
    file_put_contents("$outdir/import_$base.html", $html);
    // Drop the per-question progress lines (the question text echoed back); keep everything else.
    $rest = preg_replace('~<hr /><p><b>\d+</b>\. .*?</p>~s', '', $html);
    $n = preg_match_all('~<hr /><p><b>\d+</b>\. ~', $html);
    out("import result: " . ($exception ? 'EXCEPTION' : ($ok ? 'success (all three steps returned true)' : 'FAILED (a step returned false)')));
    out("progress lines (questions written): $n");
    out("messages Moodle printed during import (tags stripped):");
    foreach (preg_split('~(</div>|<br\s*/?>|\n)~', $rest) as $line) {
        $t = plain($line);
        if ($t !== '') {
            out("  > $t");
        }
    }
    if ($exception) {
        out('  EXCEPTION ' . get_class($exception) . ': ' . $exception->getMessage());
        if (!empty($exception->debuginfo)) {
            out('  debuginfo: ' . $exception->debuginfo);
        }
    }
    $ids = $qformat->questionids;
    out('questions stored: ' . count($ids));
    $summary[$base] = ['imported' => count($ids), 'ok' => (bool)$ok, 'right_full' => 0, 'right_total' => 0,
        'slips' => 0, 'slip_feedback_shown' => 0, 'slip_zero' => 0, 'backslash' => 0, 'problems' => []];

    $cats = [];
    foreach ($ids as $qid) {
        $qdata = question_bank::load_question_data($qid);
        $cat = $DB->get_record('question_categories', ['id' => $qdata->category]);
        $cats[$cat->id] = $DB->get_field('question_categories', 'name', ['id' => $cat->parent]) . ' / ' . $cat->name;
    }
    out('categories used: ' . implode('; ', array_unique($cats)));

    $fs = get_file_storage();
    foreach ($ids as $k => $qid) {
        $qdata = question_bank::load_question_data($qid);
        $files = $fs->get_area_files($qdata->contextid, 'question', 'questiontext', $qid, 'filename', false);
        $fdesc = implode(', ', array_map(fn($f) => $f->get_filename() . ' (' . $f->get_mimetype() . ', ' . $f->get_filesize() . ' B)', $files));
        out();
        out("-- question " . ($k + 1) . ": id $qid, qtype {$qdata->qtype}, name " . json_encode($qdata->name, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)
            . ", defaultmark " . (float)$qdata->defaultmark . ", penalty " . (float)$qdata->penalty . ", format {$qdata->questiontextformat}");
        out("   questiontext[0:200]: " . json_encode(core_text::substr($qdata->questiontext, 0, 200), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
        out("   questiontext files: " . ($fdesc ?: 'none') . "; img tags: " . preg_match_all('~<img ~', $qdata->questiontext)
            . "; \\( count: " . substr_count($qdata->questiontext, '\\(') . "; \\) count: " . substr_count($qdata->questiontext, '\\)'));
        $parts = [];
        if ($qdata->qtype === 'multianswer') {
            foreach ($qdata->options->questions as $pos => $sub) {
                $parts[$pos] = $sub;
            }
            out("   cloze parts: " . count($parts) . "; markers in text: " . preg_match_all('~\{#\d+\}~', $qdata->questiontext));
        } else {
            $parts[0] = $qdata;
        }
        foreach ($parts as $pos => $sub) {
            $label = $qdata->qtype === 'multianswer' ? "   part {#$pos}: qtype {$sub->qtype}, defaultmark " . (float)$sub->defaultmark : "   answers ({$sub->qtype})";
            out($label);
            foreach ($sub->options->answers ?? [] as $a) {
                if (strpos(plain($a->feedback), '\\') !== false) {
                    $summary[$base]['backslash']++;
                    $summary[$base]['problems'][] = "q{$qid} answer {$a->answer}: feedback keeps a backslash: " . plain($a->feedback);
                }
                out(sprintf("      answer %-12s fraction %-4s tolerance %-10s feedback %s",
                    json_encode($a->answer, JSON_UNESCAPED_SLASHES), (float)$a->fraction, $a->tolerance ?? '-', json_encode(plain($a->feedback), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)));
            }
            if ($sub->qtype === 'numerical') {
                $o = $sub->options;
                out("      numerical options: showunits " . ($o->showunits ?? '-') . ", unitgradingtype " . ($o->unitgradingtype ?? '-')
                    . ", units " . json_encode(array_values(array_map(fn($u) => $u->unit, $o->units ?? []))));
            }
        }

        // ---- Attempt it with Moodle's question engine ----
        $right = [];
        $slips = [];
        foreach ($parts as $pos => $sub) {
            $prefix = $qdata->qtype === 'multianswer' ? "sub{$pos}_" : '';
            foreach ($sub->options->answers ?? [] as $a) {
                if ((float)$a->fraction == 1.0 && !isset($right[$prefix . 'answer'])) {
                    $right[$prefix . 'answer'] = $a->answer;
                } else if ((float)$a->fraction == 0.0 && trim(plain($a->feedback)) !== '') {
                    $slips[] = [$prefix . 'answer', $a->answer, plain($a->feedback), $pos];
                }
            }
        }
        $runs = [['right numbers', $right, null]];
        foreach ($slips as [$field, $value, $fb, $pos]) {
            $resp = $right;
            $resp[$field] = $value;
            $runs[] = ["slip in part $pos: $value", $resp, [$fb, $pos]];
        }
        foreach ($runs as $ri => [$what, $resp, $slip]) {
            $quba = question_engine::make_questions_usage_by_activity('core_question_preview', $context);
            $quba->set_preferred_behaviour('deferredfeedback');
            $question = question_bank::load_question($qid);
            $slot = $quba->add_question($question, $qdata->defaultmark);
            $quba->start_question($slot);
            $quba->process_action($slot, $resp);
            $quba->finish_all_questions();
            $mark = $quba->get_question_mark($slot);
            $max = $quba->get_question_max_mark($slot);
            $state = $quba->get_question_state($slot);

            $opts = new question_display_options();
            $opts->feedback = question_display_options::VISIBLE;
            $opts->correctness = question_display_options::VISIBLE;
            $opts->marks = question_display_options::MARK_AND_MAX;
            $opts->numpartscorrect = question_display_options::VISIBLE;
            $opts->generalfeedback = question_display_options::VISIBLE;
            $opts->rightanswer = question_display_options::VISIBLE;
            $opts->readonly = true;
            $rendered = $quba->render_question($slot, $opts);

            // What the student is shown as feedback, per part.
            $dom = new DOMDocument();
            @$dom->loadHTML('<?xml encoding="utf-8"?><div>' . $rendered . '</div>');
            $xp = new DOMXPath($dom);
            $shown = [];
            foreach ($xp->query('//a[contains(@class,"feedbacktrigger")]') as $i => $node) {
                // Bootstrap 4 themes (Moodle 4.x) use data-content, Bootstrap 5 (Moodle 5.x) data-bs-content.
                $shown[$i + 1] = plain($node->getAttribute('data-content') ?: $node->getAttribute('data-bs-content'));
            }
            foreach ($xp->query('//div[contains(@class,"specificfeedback")]') as $node) {
                $shown[0] = plain($dom->saveHTML($node));
            }
            $outcome = [];
            foreach ($xp->query('//div[contains(@class,"outcome")]') as $node) {
                $outcome[] = plain($dom->saveHTML($node));
            }
            $respstr = json_encode($resp, JSON_UNESCAPED_SLASHES);
            $line = sprintf("   attempt (%s): mark %s / %s, state %s", $what, format_float($mark, 4), format_float($max, 4), $state->default_string(true));
            out($line);
            if ($slip === null) {
                out("      response " . $respstr);
                $summary[$base]['right_total']++;
                if (abs($mark - $max) < 1e-9) {
                    $summary[$base]['right_full']++;
                } else {
                    $summary[$base]['problems'][] = "q{$qid} right numbers scored $mark / $max";
                }
                foreach ($shown as $i => $s) {
                    out("      shown for part $i: $s");
                }
            } else {
                [$fb, $pos] = $slip;
                $summary[$base]['slips']++;
                $key = $qdata->qtype === 'multianswer' ? array_search($pos, array_keys($parts)) + 1 : 0;
                $partshown = $shown[$key] ?? '(nothing)';
                $has = strpos($partshown, $fb) !== false;
                if ($has) {
                    $summary[$base]['slip_feedback_shown']++;
                } else {
                    $summary[$base]['problems'][] = "q{$qid} part $pos slip {$resp[$slips[$ri - 1][0]]}: feedback '$fb' not shown; shown: $partshown";
                }
                if ($qdata->qtype === 'multianswer') {
                    $totalparts = array_sum(array_map(fn($p) => (float)$p->defaultmark, $parts));
                    $expected = $max * (1 - (float)$parts[$pos]->defaultmark / $totalparts);
                } else {
                    $expected = 0.0;
                }
                if (abs($mark - $expected) < 1e-6) {
                    $summary[$base]['slip_zero']++;
                } else {
                    $summary[$base]['problems'][] = "q{$qid} part $pos slip: mark $mark, expected $expected (that part scored as wrong)";
                }
                out("      shown for that part: $partshown   [slip feedback present: " . ($has ? 'yes' : 'NO') . "]");
            }
            if ($k === 1 && ($ri === 0 || $ri === 1)) {
                // Keep the full page fragment of the second question (variant 2) for the report.
                file_put_contents("$outdir/render_{$base}_q2_run{$ri}.html", $rendered);
                if ($ri === 0) {
                    out("      outcome box: " . implode(' || ', $outcome));
                }
            }
        }
    }
}

out();
out(str_repeat('=', 100));
out('SUMMARY');
foreach ($summary as $f => $s) {
    out(sprintf("%-12s imported %3d questions (import %s); right numbers full marks %d/%d; slips %d, slip feedback shown %d/%d, slip part scored 0 %d/%d; feedback with a literal backslash %d",
        $f, $s['imported'], $s['ok'] ? 'ok' : 'FAILED', $s['right_full'], $s['right_total'], $s['slips'], $s['slip_feedback_shown'], $s['slips'], $s['slip_zero'], $s['slips'], $s['backslash']));
    foreach (array_slice($s['problems'], 0, 20) as $p) {
        out("   problem: $p");
    }
    if (count($s['problems']) > 20) {
        out('   … ' . (count($s['problems']) - 20) . ' more problems');
    }
}
PHP
MOODLE_DIR="$WORK/moodle" $PHP "$WORK/import_check.php" "$WORK/out/render" \
    "$WORK"/files/class.xml "$WORK"/files/ce.xml "$WORK"/files/relu.xml \
    "$WORK"/files/deep.xml \
    "$WORK"/files/class.gift "$WORK"/files/ce.gift "$WORK"/files/relu.gift "$WORK"/files/deep.gift \
    > "$WORK/out/moodle_import.txt" 2>&1
echo "import script rc=$?"
sed -n '/^SUMMARY/,$p' "$WORK/out/moodle_import.txt"

# ---------------------------------------------------------------- 5. QTI zips through Canvas's converter
say "QTI: Canvas's converter (QTIMigrationTool) on each .zip"
rm -rf "$WORK/qti" && mkdir -p "$WORK/qti"
git clone -q "$QTI_TOOL_GIT_DIR" "$WORK/qti/QTIMigrationTool" || die "no QTIMigrationTool at $QTI_TOOL_GIT_DIR"
python3 -m venv "$WORK/qti/venv" && "$WORK/qti/venv/bin/pip" install -q lxml 2>&1 | grep -v '^WARNING: Location' | tail -3
qti_ok=1
for f in class ce relu deep; do
    rm -rf "$WORK/qti/in_$f" "$WORK/qti/out_$f"
    mkdir -p "$WORK/qti/in_$f" && (cd "$WORK/qti/in_$f" && unzip -q "$WORK/files/$f.zip")
    # The command Canvas runs (gems/plugins/qti_exporter/lib/qti.rb get_conversion_command).
    (cd "$WORK/qti/QTIMigrationTool" && "$WORK/qti/venv/bin/python" migrate.py --ucvars --nogui --overwrite \
        --cpout="$WORK/qti/out_$f" "$WORK/qti/in_$f" > "$WORK/out/qti_migrate_$f.log" 2>&1)
    rc=$?
    items=$(ls "$WORK/qti/out_$f/assessmentItems" 2>/dev/null | wc -l)
    tests=$(ls "$WORK/qti/out_$f/assessmentTests" 2>/dev/null | wc -l)
    echo "$f.zip: migrate.py rc=$rc; QTI 2.1 items written: $items; assessment tests written: $tests"
    if [ "$rc" != 0 ] || [ "$items" = 0 ]; then
        qti_ok=0
        grep -vE 'FutureWarning|if tree.getroot' "$WORK/out/qti_migrate_$f.log" | grep -E 'Converting|CheckLocation\(|Error|rror:|Exception|Warning' | sort | uniq -c | head -8
    fi
done

say "QTI: the converted packages read with Canvas's rules"
cat > "$WORK/canvas_rules.py" <<'PY'
"""Reads QTIMigrationTool's QTI 2.1 output as Canvas's importer does (qti_exporter:
numeric_interaction.rb get_canvas_answers; assessment_test_converter.rb process_section) and
counts the questions whose margin is the tolerance their title shows ("± t")."""
import sys
from decimal import Decimal
from pathlib import Path
import xml.etree.ElementTree as ET

NS = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
bad = 0
for out in sys.argv[1:]:
    items = sorted(Path(out, "assessmentItems").glob("*.xml"))
    kept = exact_only = zero = precision = 0
    problems = []
    for path in items:
        root = ET.parse(path).getroot()
        title = root.get("title")
        shown_tol = Decimal(title.rsplit("± ", 1)[1].rstrip(")"))
        for r_if in root.iter(NS + "responseIf"):
            either = r_if.find(".//" + NS + "or")
            if either is None:
                continue
            exact = either.find(f".//{NS}stringMatch/{NS}baseValue")
            if exact is None:
                continue
            ops = {op.get("class"): op.find(NS + "baseValue").text
                   for op in either.iter(NS + "customOperator")}
            e = Decimal(exact.text)
            if "vargt" in ops and "varlte" in ops:  # Canvas's precision guess needs a strict bound
                precision += 1
            if "varlte" not in ops:
                exact_only += 1
                problems.append(f"{path.name}: exact match only")
                continue
            margin = Decimal(ops["varlte"]) - e
            if margin == shown_tol:
                kept += 1
            else:
                problems.append(f"{path.name}: margin {margin} where the title shows ± {shown_tol}")
            if e != 0 and abs(e) < Decimal("0.0001"):
                zero += 1
                problems.append(f"{path.name}: answer {e} is stored by Canvas as 0")
    groups = []
    for test in Path(out, "assessmentTests").glob("*.xml"):
        for section in ET.parse(test).getroot().iter(NS + "assessmentSection"):
            selection = section.find(NS + "selection")
            if selection is not None:
                groups.append((selection.get("select"), len(section.findall(NS + "assessmentItemRef"))))
    picks = sorted(set(groups))
    print(f"{Path(out).name}: {len(items)} items; tolerance kept by Canvas's rule {kept}/{len(items)}; "
          f"exact-match only {exact_only}; read as precision answers {precision}; answers Canvas stores "
          f"as 0: {zero}; question groups {len(groups)} (pick, of items: {picks})")
    for p in problems[:10]:
        print("   problem:", p)
    bad += len(problems) + (not groups) + any(pick != "1" for pick, _ in groups)
sys.exit(1 if bad else 0)
PY
python3 "$WORK/canvas_rules.py" "$WORK"/qti/out_class "$WORK"/qti/out_ce "$WORK"/qti/out_relu "$WORK"/qti/out_deep \
    | tee "$WORK/out/canvas_rules.txt"
canvas_ok=${PIPESTATUS[0]}

# ---------------------------------------------------------------- verdict
say "verdict"
status=0
if grep -qE 'import FAILED|EXCEPTION' "$WORK/out/moodle_import.txt"; then echo "FAIL: a Moodle import failed"; status=1; fi
if ! grep -q '^SUMMARY' "$WORK/out/moodle_import.txt"; then echo "FAIL: the import script did not finish"; status=1; fi
while read -r line; do
    pair() { echo "$line" | grep -oE "$1 [0-9]+/[0-9]+" | grep -oE '[0-9]+/[0-9]+'; }
    r=$(pair 'full marks'); s=$(pair 'feedback shown'); z=$(pair 'scored 0')
    b=$(echo "$line" | grep -oE 'backslash [0-9]+' | grep -oE '[0-9]+')
    if [ "${r%/*}" != "${r#*/}" ] || [ "${s%/*}" != "${s#*/}" ] || [ "${z%/*}" != "${z#*/}" ] || [ "${b:-0}" != 0 ]; then
        echo "FAIL: $line"; status=1
    else
        echo "ok:   $line"
    fi
done < <(sed -n '/^SUMMARY/,$p' "$WORK/out/moodle_import.txt" | grep -E 'imported +[0-9]+ questions')
[ $qti_ok = 1 ] && echo "ok:   QTI packages converted by QTIMigrationTool" || { echo "FAIL: QTIMigrationTool did not convert every QTI package"; status=1; }
[ "$canvas_ok" = 0 ] && echo "ok:   every question keeps its tolerance under Canvas's rules, one variant drawn per group" \
    || { echo "FAIL: Canvas's rules: see $WORK/out/canvas_rules.txt"; status=1; }
exit $status
