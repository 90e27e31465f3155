using EmpowerBot.Storage;
using EmpowerBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpowerBot.Tests.Storage;

/// <summary>The conformance suite on a temp-file SQLite store, plus what only the embedded backend promises.</summary>
public sealed class SqliteTableStoreTests : TableStoreConformance
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));

    protected override Task<ITableStore> CreateStoreAsync() => Task.FromResult<ITableStore>(Open("conformance.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    // A nested, not-yet-existing folder also proves the store creates its directory.
    private SqliteTableStore Open(string file) => new(PathOf(file), NullLogger<SqliteTableStore>.Instance);

    private string PathOf(string file) => Path.Combine(_directory, "data", file);

    [Fact]
    public async Task Acknowledged_writes_survive_dispose_and_reopen()
    {
        var pk = NewPartition();
        var store = Open("restart.db");
        await store.EnsureTablesAsync([TableA], Ct);
        var etags = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => store.InsertAsync(TableA, Row(pk, $"r{i:D2}", ("I", (long)i)), Ct)));
        await store.DeleteAsync(TableA, pk, "r00", etags[0], Ct);
        await store.DisposeAsync();

        await using var reopened = Open("restart.db");
        var rows = await reopened.QueryAsync(TableA, pk, null, null, Ct).ToListAsync(Ct);

        Assert.Equal(etags.Skip(1), rows.Select(r => r.ETag));
        Assert.Equal(Enumerable.Range(1, 39).Select(i => (long)i), rows.Select(r => r.GetInt64("I")));
        // The ETag of a row written after the restart is new, even for a row key used before.
        Assert.DoesNotContain(await reopened.InsertAsync(TableA, Row(pk, "r00"), Ct), etags);
    }

    [Fact]
    public async Task A_fault_mid_batch_leaves_no_partial_state_while_the_rest_of_its_group_commits()
    {
        await using var store = Open("fault.db");
        var groupSizes = new List<int>();
        using var gate = new WriterGate(store);
        store.Writer.Hooks.BeforeCommit = groupSizes.Add;
        store.Writer.Hooks.BeforeOperation += (_, op, index) =>
        {
            if (op.Entity.RowKey == "faulty" && index == 1)
            {
                throw new InvalidOperationException("injected fault");
            }
        };
        var pk = NewPartition();

        await gate.HoldWriterAsync(Ct);
        var broken = store.SubmitAsync(TableA, [TableOperation.Insert(Row(pk, "first")), TableOperation.Insert(Row(pk, "faulty"))], Ct);
        var sameGroup = Enumerable.Range(0, 3).Select(i => store.InsertAsync(TableA, Row(pk, $"good{i}"), Ct)).ToList();
        gate.Release();

        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => broken);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        await Task.WhenAll(sameGroup);
        Assert.Equal([1, 4], groupSizes);
        Assert.Equal(["good0", "good1", "good2"], await RowKeysAsync(store, pk));
    }

    [Fact]
    public async Task A_failed_commit_fails_every_batch_of_the_group_and_writes_nothing()
    {
        await using var store = Open("commit.db");
        using var gate = new WriterGate(store);
        store.Writer.Hooks.BeforeCommit = size =>
        {
            if (size == 3)
            {
                throw new IOException("injected commit failure");
            }
        };
        var pk = NewPartition();

        await gate.HoldWriterAsync(Ct);
        var group = Enumerable.Range(0, 3).Select(i => store.InsertAsync(TableA, Row(pk, $"r{i}"), Ct)).ToList();
        gate.Release();

        foreach (var write in group)
        {
            await Assert.ThrowsAsync<StorageUnavailableException>(() => write);
        }
        Assert.Empty(await RowKeysAsync(store, pk));
        await store.InsertAsync(TableA, Row(pk, "after"), Ct);
        Assert.Equal(["after"], await RowKeysAsync(store, pk));
    }

    [Fact]
    public async Task A_batch_cancelled_while_queued_is_never_written()
    {
        await using var store = Open("cancel.db");
        using var gate = new WriterGate(store);
        using var cancel = new CancellationTokenSource();
        var pk = NewPartition();

        await gate.HoldWriterAsync(Ct);
        var write = store.InsertAsync(TableA, Row(pk, "r"), cancel.Token);
        await cancel.CancelAsync();
        gate.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        await store.InsertAsync(TableA, Row(pk, "after"), Ct);
        Assert.Equal(["after"], await RowKeysAsync(store, pk));
    }

    [Fact]
    public async Task Concurrent_writers_share_commits()
    {
        var store = (SqliteTableStore)Store;
        var pk = NewPartition();
        var (commits, committed) = (store.Writer.Commits, store.Writer.CommittedWork);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await store.InsertAsync(TableA, Row($"{pk}|{w}", $"r{i}"), Ct);
            }
        })));

        Assert.Equal(1280, store.Writer.CommittedWork - committed);
        Assert.True(store.Writer.Commits - commits < 640, $"{store.Writer.Commits - commits} commits for 1280 batches");
    }

    [Fact]
    public async Task The_file_runs_in_wal_mode_with_full_synchronous_commits()
    {
        var store = (SqliteTableStore)Store;
        Assert.Equal(("wal", 2L), (store.Writer.JournalMode, store.Writer.Synchronous));

        // WAL is a property of the file, so any other connection sees it too; synchronous is per connection.
        await using var other = new SqliteConnection($"Data Source={PathOf("conformance.db")};Mode=ReadOnly;Pooling=False");
        await other.OpenAsync(Ct);
        await using var pragma = other.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await pragma.ExecuteScalarAsync(Ct));
        pragma.CommandText = "SELECT name FROM tables ORDER BY name";
        await using var reader = await pragma.ExecuteReaderAsync(Ct);
        var tables = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            tables.Add(reader.GetString(0));
        }
        Assert.Equal([TableA, TableB], tables);
    }

    [Fact]
    public async Task Doubles_that_json_cannot_spell_round_trip_bit_for_bit()
    {
        var pk = NewPartition();
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon];
        await Store.InsertAsync(TableA, Row(pk, "r", [.. values.Select((v, i) => ($"D{i}", (object?)v))]), Ct);

        var row = (await Store.GetAsync(TableA, pk, "r", Ct))!;

        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), values.Select((_, i) => BitConverter.DoubleToInt64Bits(row.GetDouble($"D{i}"))));
    }

    [Fact]
    public async Task A_disposed_store_refuses_work_and_reports_itself_down()
    {
        var store = Open("disposed.db");
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.InsertAsync(TableA, Row(NewPartition(), "r"), Ct));
        Assert.False(await store.PingAsync(Ct));
    }

    private async Task<List<string>> RowKeysAsync(ITableStore store, string pk) =>
        (await store.QueryAsync(TableA, pk, null, null, Ct).ToListAsync(Ct)).Select(r => r.RowKey).ToList();

    /// <summary>Parks the writer thread inside a batch, so the next submissions queue up and form one group.</summary>
    private sealed class WriterGate(SqliteTableStore store) : IDisposable
    {
        private readonly ManualResetEventSlim _open = new();
        private readonly TaskCompletionSource _parked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task HoldWriterAsync(CancellationToken ct)
        {
            store.Writer.Hooks.BeforeOperation += (_, op, _) =>
            {
                if (op.Entity.RowKey == "gate")
                {
                    _parked.TrySetResult();
                    _open.Wait(TimeSpan.FromSeconds(30));
                }
            };
            _ = store.InsertAsync(TableA, Row(NewPartition(), "gate"), ct);
            await _parked.Task.WaitAsync(ct);
        }

        public void Release() => _open.Set();

        public void Dispose()
        {
            _open.Set();
            _open.Dispose();
        }
    }
}
