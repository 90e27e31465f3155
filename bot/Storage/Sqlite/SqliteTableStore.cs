using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace EmpowerBot.Storage.Sqlite;

/// <summary>
/// The embedded table store: one SQLite file in WAL mode with synchronous=FULL. Writes go through a single
/// group-committing writer (<see cref="SqliteWriter"/>); reads use read-only connections with prepared statements
/// (<see cref="SqliteReaders"/>), which WAL lets run beside the writer. A batch's task completes only after its transaction is durable on disk.
/// Dispose it (it is <see cref="IAsyncDisposable"/>) to let queued writes finish and release the file.
/// </summary>
public sealed class SqliteTableStore : ITableStore, IAsyncDisposable
{
    // SQLite's default BINARY collation compares the UTF-8 bytes, which orders keys exactly like
    // ordinal UTF-16 comparison except when a surrogate pair meets a character in U+E000–U+FFFF.
    // Keys in this product are ASCII and identifiers, so the difference never shows.
    private const string Select = "SELECT rk, etag, props FROM entities WHERE tbl = $t AND pk = $p";
    private const string OrderBy = " ORDER BY rk";

    private readonly ILogger<SqliteTableStore> _logger;
    private readonly SqliteReaders _readers;
    private readonly SqliteWriter _writer;
    private int _disposed;

    public SqliteTableStore(string databasePath, ILogger<SqliteTableStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _logger = logger;
        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);

        var builder = new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        try
        {
            _writer = new SqliteWriter(builder.ConnectionString, logger);
        }
        catch (SqliteException ex)
        {
            throw new StorageUnavailableException($"Could not open the SQLite store at '{fullPath}': {ex.Message}", ex);
        }
        if (!string.Equals(_writer.JournalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            // SQLite silently keeps another journal mode where WAL is impossible; refuse rather than run slower and unsafely shared.
            _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new StorageUnavailableException($"SQLite could not switch '{fullPath}' to WAL mode (it reports '{_writer.JournalMode}').");
        }

        builder.Mode = SqliteOpenMode.ReadOnly;
        _readers = new SqliteReaders(builder.ConnectionString);
        _logger.LogInformation("SQLite table store opened at {Path}", fullPath);
    }

    /// <summary>Test seams: fault injection and commit counters of the writer.</summary>
    internal SqliteWriter Writer => _writer;

    public async Task EnsureTablesAsync(IEnumerable<string> tables, CancellationToken ct)
    {
        ThrowIfDisposed();
        var names = tables.ToArray();
        foreach (var name in names)
        {
            TableRules.ValidateTableName(name);
        }
        // The entities table serves every logical table; recording the names keeps the file self-describing.
        await _writer.SubmitAsync(new TableRegistration(names), ct).ConfigureAwait(false);
    }

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        ThrowIfDisposed();
        TableRules.ValidateTableName(table);
        ct.ThrowIfCancellationRequested();
        var db = RentReader();
        try
        {
            var command = db.Statement(Select + " AND rk = $r", "$t", "$p", "$r");
            command.Parameters[0].Value = table;
            command.Parameters[1].Value = partitionKey;
            command.Parameters[2].Value = rowKey;
            TableEntity? found;
            using (var reader = command.ExecuteReader())
            {
                found = reader.Read() ? ToEntity(partitionKey, reader) : null;
            }
            _readers.Return(db);
            return Task.FromResult(found);
        }
        catch (SqliteException ex)
        {
            db.Dispose();
            throw Unavailable(ex);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string table, string partitionKey, string? fromRowKey, string? toRowKey, [EnumeratorCancellation] CancellationToken ct)
    {
        ThrowIfDisposed();
        TableRules.ValidateTableName(table);
        ct.ThrowIfCancellationRequested();
        // A separate statement per bound shape lets SQLite seek the primary key instead of scanning the partition.
        var (sql, bounds) = (fromRowKey, toRowKey) switch
        {
            (null, null) => (Select + OrderBy, 0),
            (_, null) => (Select + " AND rk >= $from" + OrderBy, 1),
            (null, _) => (Select + " AND rk < $to" + OrderBy, 1),
            _ => (Select + " AND rk >= $from AND rk < $to" + OrderBy, 2),
        };

        var db = RentReader();
        SqliteDataReader? reader = null;
        // Set around each step that can fail, so a failed connection is closed while one left early (a break) is kept.
        var faulted = true;
        try
        {
            var command = Guard(() => bounds switch
            {
                0 => db.Statement(sql, "$t", "$p"),
                1 => db.Statement(sql, "$t", "$p", fromRowKey is null ? "$to" : "$from"),
                _ => db.Statement(sql, "$t", "$p", "$from", "$to"),
            });
            command.Parameters[0].Value = table;
            command.Parameters[1].Value = partitionKey;
            if (fromRowKey is not null) command.Parameters[2].Value = fromRowKey;
            if (toRowKey is not null) command.Parameters[bounds + 1].Value = toRowKey;
            reader = Guard(command.ExecuteReader);
            while (Guard(reader.Read))
            {
                var entity = ToEntity(partitionKey, reader);
                faulted = false;
                yield return entity;
                faulted = true;
            }
            faulted = false;
        }
        finally
        {
            reader?.Dispose();
            if (faulted) db.Dispose();
            else _readers.Return(db);
        }
        // SQLite answers synchronously; the method is an async iterator only because the store's interface is.
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<IReadOnlyList<string?>> SubmitAsync(string table, IReadOnlyList<TableOperation> batch, CancellationToken ct)
    {
        ThrowIfDisposed();
        TableRules.ValidateTableName(table);
        TableRules.ValidateBatch(batch);

        // Copy and encode on the caller's thread: the caller may reuse its list, and the writer thread
        // (the bottleneck) should only run SQL. Encoding also rejects unsupported property types here.
        var operations = batch.ToArray();
        var encoded = new string?[operations.Length];
        for (var i = 0; i < operations.Length; i++)
        {
            if (operations[i].Kind != TableOperationKind.Delete)
            {
                encoded[i] = SqlitePropertyCodec.Encode(operations[i].Entity.Properties);
            }
        }

        return ct.IsCancellationRequested
            ? Task.FromCanceled<IReadOnlyList<string?>>(ct)
            : _writer.SubmitAsync(new PendingBatch(table, operations, encoded), ct);
    }

    public Task<bool> PingAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) != 0 || !_writer.IsRunning)
        {
            return Task.FromResult(false);
        }
        SqliteReader? db = null;
        try
        {
            db = _readers.Rent();
            var alive = db.Statement("SELECT 1").ExecuteScalar() is 1L;
            _readers.Return(db);
            return Task.FromResult(alive);
        }
        catch (SqliteException ex)
        {
            db?.Dispose();
            _logger.LogWarning(ex, "SQLite ping failed");
            return Task.FromResult(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Queued writes still commit; their callers get their answers before the file is closed.
        // Readers go first so the writer's connection is the last one and SQLite checkpoints and removes the WAL.
        _readers.Dispose();
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    private SqliteReader RentReader()
    {
        try
        {
            return _readers.Rent();
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex);
        }
    }

    private static TableEntity ToEntity(string partitionKey, SqliteDataReader reader) =>
        new(partitionKey, reader.GetString(0), SqlitePropertyCodec.Decode(reader.GetFieldValue<byte[]>(2)), reader.GetString(1));

    // Iterators cannot yield inside try/catch, so each step translates SQLite's failures itself.
    private static T Guard<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex);
        }
    }

    private static StorageUnavailableException Unavailable(SqliteException ex) =>
        new($"The SQLite store failed: {ex.Message}", ex);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
