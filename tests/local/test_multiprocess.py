"""Two OS processes on one warehouse file (DuckDB lets one process open a file at a time; the engine hands
the file over between statements, see caves/local/lease.py).

Mirrors SNOWFLAKE_SEMANTICS.md §1.4 (every committed change reaches the stream exactly once; offsets move
only with committed consuming DML) for concurrent sessions living in different processes, as the CLI, the
app and the scheduler do. Each child is a small Python snippet run with ``subprocess``; every wait is bounded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

from caves.local import Engine

SETUP = """
CREATE DATABASE MP;
CREATE TABLE EVENTS (ID INT, WHO VARCHAR);
CREATE STREAM EVENTS_S ON TABLE EVENTS;
CREATE TABLE SINK (ID INT, WHO VARCHAR);
"""

# Each child says it is ready (a "ready" file, its engine opened) and waits for a "go" file, written once both are
# ready, so that their loops overlap however long each took to start. The writer keeps writing until the
# reader-writer says it is done (a "stop" file) or a generous deadline passes.
WRITER = textwrap.dedent(
    """
    import json, os, sys, time
    from caves.local import Engine
    path, go, stop, deadline_s, ready = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
    engine = Engine(path, wait_timeout_s=30)
    open(ready, "w").close()
    deadline = time.monotonic() + 60
    while not os.path.exists(go):
        assert time.monotonic() < deadline, "no go signal"
        time.sleep(0.01)
    start = time.monotonic()
    n = 0
    with engine.session("MP", "PUBLIC") as s:
        while not os.path.exists(stop) and time.monotonic() - start < deadline_s:
            s.execute("INSERT INTO EVENTS VALUES (?, 'writer')", [n])
            n += 1
    engine.close()
    print(json.dumps({"written": n, "stopped_by_reader": os.path.exists(stop),
                      "seconds": time.monotonic() - start}))
    """
)

READER_WRITER = textwrap.dedent(
    """
    import json, os, sys, time
    from caves.local import Engine
    path, go, stop, rounds, ready = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    engine = Engine(path, wait_timeout_s=30)
    open(ready, "w").close()
    deadline = time.monotonic() + 60
    while not os.path.exists(go):
        assert time.monotonic() < deadline, "no go signal"
        time.sleep(0.01)
    start = time.monotonic()
    seen, consumed = [], 0
    with engine.session("MP", "PUBLIC") as s:
        for j in range(rounds):
            seen.append(s.execute("SELECT count(*) FROM EVENTS").scalar())
            s.execute("INSERT INTO EVENTS VALUES (?, 'reader')", [100000 + j])
            consumed += s.execute(
                "INSERT INTO SINK SELECT ID, WHO FROM EVENTS_S WHERE METADATA$ACTION = 'INSERT'"
            ).rows[0][0]
    open(stop, "w").close()
    engine.close()
    print(json.dumps({"seen": seen, "consumed": consumed, "seconds": time.monotonic() - start}))
    """
)


def _spawn(code: str, args: list[str], env: dict, cwd) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(cwd),
    )


def _wait_ready(files: list, procs: list[subprocess.Popen], timeout: float) -> None:
    """Until every child has written its ready file (a child that exits first, or the timeout, fails the test)."""
    deadline = time.monotonic() + timeout
    while not all(f.exists() for f in files):
        for proc in procs:
            if proc.poll() is not None:
                raise AssertionError(f"child process exited before it was ready:\n{proc.communicate()[1]}")
        assert time.monotonic() < deadline, f"children not ready within {timeout} s"
        time.sleep(0.02)


def _finish(proc: subprocess.Popen, timeout: float) -> dict:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"child process did not finish in {timeout} s; stderr:\n{err}") from None
    assert proc.returncode == 0, f"child process failed (rc={proc.returncode}):\n{err}"
    return json.loads(out.strip().splitlines()[-1])


def test_writer_and_reader_writer_processes_share_one_warehouse(tmp_path, child_env):
    """§1.4 across processes: one process inserts rows in a loop while another reads, inserts and consumes the
    stream. No crash, no lost write (every insert of both processes is in the table), every change reaches
    the stream's consumer exactly once, and the reader-writer finishes its rounds in bounded time while the
    writer never stops writing (the file is handed over, the reader is not starved)."""
    db = tmp_path / "wh.duckdb"
    go, stop = tmp_path / "go", tmp_path / "stop"
    eng = Engine(str(db))
    with eng.session() as s:
        s.execute_script(SETUP)
    eng.close()

    rounds, writer_deadline_s = 15, 25.0
    ready = [tmp_path / "writer_ready", tmp_path / "reader_ready"]
    writer = _spawn(WRITER, [str(db), str(go), str(stop), str(writer_deadline_s), str(ready[0])], child_env, tmp_path)
    reader = _spawn(READER_WRITER, [str(db), str(go), str(stop), str(rounds), str(ready[1])], child_env, tmp_path)
    _wait_ready(ready, [writer, reader], timeout=60)
    started = time.monotonic()
    go.write_text("go")
    r = _finish(reader, timeout=60)
    w = _finish(writer, timeout=60)
    elapsed = time.monotonic() - started
    assert elapsed < 45, f"the two processes took {elapsed:.1f} s"

    # The reader-writer did all its rounds while the writer was still writing.
    assert w["stopped_by_reader"], f"reader starved: writer ran {w['seconds']:.1f} s, reader {r}"
    assert w["written"] > 0
    assert r["seen"] == sorted(r["seen"])  # committed rows never disappear

    eng = Engine(str(db))
    try:
        with eng.session("MP", "PUBLIC") as s:
            ids = s.execute("SELECT WHO, ID FROM EVENTS").rows
            writer_ids = sorted(i for who, i in ids if who == "writer")
            reader_ids = sorted(i for who, i in ids if who == "reader")
            assert writer_ids == list(range(w["written"]))
            assert reader_ids == [100000 + j for j in range(rounds)]

            sink = s.execute("SELECT ID, WHO FROM SINK").rows
            pending = s.execute("SELECT ID, WHO FROM EVENTS_S WHERE METADATA$ACTION = 'INSERT'").rows
            assert s.execute("SELECT count(*) FROM EVENTS_S WHERE METADATA$ACTION = 'DELETE'").scalar() == 0
            assert len(sink) == r["consumed"]
            # Exactly once: consumed + still pending = every row ever inserted, no duplicates.
            assert sorted(sink + pending) == sorted((i, who) for who, i in ids)
    finally:
        eng.close()


def test_a_second_process_sees_committed_stream_offsets(tmp_path, child_env):
    """§1.4: a stream's offset is warehouse state: a consumption committed in one process is visible to the
    next process, and changes committed after it are what that process reads."""
    db = tmp_path / "wh.duckdb"
    eng = Engine(str(db))
    with eng.session() as s:
        s.execute_script(SETUP)
        s.execute("INSERT INTO EVENTS VALUES (1, 'before')")
    eng.close()

    consume = textwrap.dedent(
        """
        import json, sys
        from caves.local import Engine
        engine = Engine(sys.argv[1], wait_timeout_s=30)
        with engine.session("MP", "PUBLIC") as s:
            n = s.execute("INSERT INTO SINK SELECT ID, WHO FROM EVENTS_S").rows[0][0]
            s.execute("INSERT INTO EVENTS VALUES (2, 'after')")
        engine.close()
        print(json.dumps({"consumed": n}))
        """
    )
    assert _finish(_spawn(consume, [str(db)], child_env, tmp_path), timeout=60) == {"consumed": 1}

    eng = Engine(str(db))
    try:
        with eng.session("MP", "PUBLIC") as s:
            assert s.execute("SELECT ID, WHO, METADATA$ACTION FROM EVENTS_S").rows == [(2, "after", "INSERT")]
            assert s.execute("SELECT ID, WHO FROM SINK").rows == [(1, "before")]
    finally:
        eng.close()
