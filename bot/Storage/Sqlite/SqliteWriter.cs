using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace EmpowerBot.Storage.Sqlite;

/// <summary>
/// The single writer of a SQLite file, doing group commit: it drains whatever work is queued, runs each item
/// in its own SAVEPOINT of ONE transaction, commits once (one fsync for the whole group) and only then
/// completes the items that succeeded. One fsync per batch would cap throughput at the disk's sync rate.
/// Runs on a dedicated thread because every SQLite call blocks, fsync included.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    internal const int MaxGroup = 256;

    private readonly Channel<WriterWork> _queue = Channel.CreateUnbounded<WriterWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteWriterConnection _db;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly IReadOnlyList<string?>?[] _results = new IReadOnlyList<string?>?[MaxGroup];
    private readonly Exception?[] _errors = new Exception?[MaxGroup];
    private long _commits;
    private long _committedWork;
    private volatile Exception? _stopped;

    public SqliteWriter(string connectionString, ILogger logger)
    {
        _logger = logger;
        _db = new SqliteWriterConnection(connectionString);
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public string JournalMode => _db.JournalMode;

    public long Synchronous => _db.Synchronous;

    public WriterHooks Hooks { get; } = new();

    public long Commits => Interlocked.Read(ref _commits);

    public long CommittedWork => Interlocked.Read(ref _committedWork);

    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>
    /// Queues the work and waits for its definite outcome. Cancellation is honoured only while the work is
    /// still queued; once the writer has taken it, the caller learns whether it committed.
    /// </summary>
    public Task<IReadOnlyList<string?>> SubmitAsync(WriterWork work, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(work))
        {
            return Task.FromException<IReadOnlyList<string?>>(_stopped is { } stopped
                ? new StorageUnavailableException("The SQLite writer stopped.", stopped)
                : new ObjectDisposedException(nameof(SqliteTableStore)));
        }
        return ct.CanBeCanceled ? WaitCancellableAsync(work, ct) : work.Completion.Task;
    }

    private static async Task<IReadOnlyList<string?>> WaitCancellableAsync(WriterWork work, CancellationToken ct)
    {
        using var registration = ct.Register(static (state, token) => ((WriterWork)state!).TryCancel(token), work);
        return await work.Completion.Task.ConfigureAwait(false);
    }

    private void Run()
    {
        var group = new List<WriterWork>(MaxGroup);
        var reader = _queue.Reader;
        try
        {
            while (WaitToRead(reader))
            {
                group.Clear();
                while (group.Count < MaxGroup && reader.TryRead(out var work))
                {
                    if (work.TryTake())
                    {
                        group.Add(work);
                    }
                }
                if (group.Count > 0)
                {
                    CommitGroup(group);
                }
            }
        }
        catch (Exception ex)
        {
            // Only a bug gets here (CommitGroup contains its own failures); stop accepting work rather than hang callers.
            _logger.LogCritical(ex, "The SQLite writer loop stopped");
            _stopped = ex;
            _queue.Writer.TryComplete(ex);
            var error = new StorageUnavailableException("The SQLite writer stopped.", ex);
            foreach (var work in group)
            {
                work.Completion.TrySetException(error);
            }
            while (reader.TryRead(out var queued))
            {
                queued.Completion.TrySetException(error);
            }
        }
    }

    private static bool WaitToRead(ChannelReader<WriterWork> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void CommitGroup(List<WriterWork> group)
    {
        try
        {
            _db.Begin();
            for (var i = 0; i < group.Count; i++)
            {
                _db.Savepoint();
                try
                {
                    _results[i] = group[i].Apply(_db, Hooks);
                }
                catch (Exception ex)
                {
                    // Undo just this item; the others of the group are unaffected.
                    _db.RollbackToSavepoint();
                    _errors[i] = ex is StorageConflictException or ArgumentException
                        ? ex
                        : new StorageUnavailableException("The batch failed and was not written.", ex);
                    if (_errors[i] is StorageUnavailableException)
                    {
                        _logger.LogError(ex, "A batch failed inside a group commit and was rolled back");
                    }
                }
                _db.ReleaseSavepoint();
            }
            Hooks.BeforeCommit?.Invoke(group.Count);
            _db.Commit();
        }
        catch (Exception ex)
        {
            // Nothing partial: the whole group is rolled back and every caller hears it failed. After an I/O
            // error during COMMIT, SQLite cannot promise the WAL frames never reach the disk, so the message
            // tells the caller to re-read rather than claiming nothing was written.
            _logger.LogError(ex, "A group commit of {Count} batches failed", group.Count);
            TryRollback();
            var error = new StorageUnavailableException("The write was not committed; re-read before retrying.", ex);
            foreach (var work in group)
            {
                work.Completion.TrySetException(error);
            }
            Array.Clear(_results);
            Array.Clear(_errors);
            return;
        }

        Interlocked.Increment(ref _commits);
        for (var i = 0; i < group.Count; i++)
        {
            if (_errors[i] is { } error)
            {
                group[i].Completion.TrySetException(error);
            }
            else
            {
                Interlocked.Increment(ref _committedWork);
                group[i].Completion.TrySetResult(_results[i]!);
            }
        }
        Array.Clear(_results, 0, group.Count);
        Array.Clear(_errors, 0, group.Count);
    }

    private void TryRollback()
    {
        try
        {
            _db.Rollback();
        }
        catch (SqliteException ex)
        {
            // Usually "no transaction is active": SQLite already rolled back on the error that got us here.
            _logger.LogDebug(ex, "Rollback after a failed group commit reported an error");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _db.Dispose();
    }
}

/// <summary>Fault-injection seams for tests; both are null in production.</summary>
internal sealed class WriterHooks
{
    /// <summary>Invoked on the writer thread before each operation of a batch: (table, operation, index).</summary>
    public Action<string, TableOperation, int>? BeforeOperation { get; set; }

    /// <summary>Invoked on the writer thread just before COMMIT with the group size; throwing fails the commit.</summary>
    public Action<int>? BeforeCommit { get; set; }
}

/// <summary>
/// Something the writer does inside a group's transaction. Cancellation races with the writer taking
/// the work; whichever wins decides, so a cancelled caller knows nothing was written.
/// </summary>
internal abstract class WriterWork
{
    private const int Queued = 0, Taken = 1, Cancelled = 2;
    private int _state;

    // Continuations must not run on the writer thread, which would stall every other caller's commit.
    public TaskCompletionSource<IReadOnlyList<string?>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    public void TryCancel(CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            Completion.TrySetCanceled(ct);
        }
    }

    public abstract IReadOnlyList<string?> Apply(SqliteWriterConnection db, WriterHooks hooks);
}

/// <summary>A validated batch; properties were encoded on the caller's thread so the writer only runs SQL.</summary>
internal sealed class PendingBatch(string table, TableOperation[] operations, string?[] encodedProperties) : WriterWork
{
    public override IReadOnlyList<string?> Apply(SqliteWriterConnection db, WriterHooks hooks)
    {
        var etags = new string?[operations.Length];
        for (var i = 0; i < operations.Length; i++)
        {
            hooks.BeforeOperation?.Invoke(table, operations[i], i);
            etags[i] = db.Apply(table, operations[i], encodedProperties[i], i);
        }
        return etags;
    }
}

/// <summary>Records logical tables, so the file lists what EnsureTablesAsync was asked for.</summary>
internal sealed class TableRegistration(IReadOnlyList<string> names) : WriterWork
{
    public override IReadOnlyList<string?> Apply(SqliteWriterConnection db, WriterHooks hooks)
    {
        foreach (var name in names)
        {
            db.RegisterTable(name);
        }
        return [];
    }
}
