using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace EmpowerBot.Storage.Sqlite;

/// <summary>
/// The embedded table store: one SQLite file in WAL mode with synchronous=FULL. Writes go through a single
/// group-committing writer (<see cref="SqliteWriter"/>); reads use pooled read-only connections, which WAL
/// lets run beside the writer. A batch's task completes only after its transaction is durable on disk.
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
    private readonly string _readConnectionString;
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
        builder.Pooling = true;
        _readConnectionString = builder.ConnectionString;
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

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        ThrowIfDisposed();
        TableRules.ValidateTableName(table);
        try
        {
            await using var db = await OpenReaderAsync(ct).ConfigureAwait(false);
            await using var command = db.CreateCommand();
            command.CommandText = Select + " AND rk = $r";
            Bind(command, table, partitionKey).Parameters.AddWithValue("$r", rowKey);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? ToEntity(partitionKey, reader) : null;
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex);
        }
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string table, string partitionKey, string? fromRowKey, string? toRowKey, [EnumeratorCancellation] CancellationToken ct)
    {
        ThrowIfDisposed();
        TableRules.ValidateTableName(table);
        // A separate statement per bound shape lets SQLite seek the primary key instead of scanning the partition.
        var sql = (fromRowKey, toRowKey) switch
        {
            (null, null) => Select + OrderBy,
            (_, null) => Select + " AND rk >= $from" + OrderBy,
            (null, _) => Select + " AND rk < $to" + OrderBy,
            _ => Select + " AND rk >= $from AND rk < $to" + OrderBy,
        };

        await using var db = await Guard(OpenReaderAsync(ct)).ConfigureAwait(false);
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        Bind(command, table, partitionKey);
        if (fromRowKey is not null)
        {
            command.Parameters.AddWithValue("$from", fromRowKey);
        }
        if (toRowKey is not null)
        {
            command.Parameters.AddWithValue("$to", toRowKey);
        }
        await using var reader = await Guard(command.ExecuteReaderAsync(ct)).ConfigureAwait(false);
        while (await Guard(reader.ReadAsync(ct)).ConfigureAwait(false))
        {
            yield return ToEntity(partitionKey, reader);
        }
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

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) != 0 || !_writer.IsRunning)
        {
            return false;
        }
        try
        {
            await using var db = await OpenReaderAsync(ct).ConfigureAwait(false);
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT 1";
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is 1L;
        }
        catch (SqliteException ex)
        {
            _logger.LogWarning(ex, "SQLite ping failed");
            return false;
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
        using (var pooled = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken ct)
    {
        var db = new SqliteConnection(_readConnectionString);
        try
        {
            await db.OpenAsync(ct).ConfigureAwait(false);
            return db;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static SqliteCommand Bind(SqliteCommand command, string table, string partitionKey)
    {
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$p", partitionKey);
        return command;
    }

    private static TableEntity ToEntity(string partitionKey, SqliteDataReader reader) =>
        new(partitionKey, reader.GetString(0), SqlitePropertyCodec.Decode(reader.GetFieldValue<byte[]>(2)), reader.GetString(1));

    // Iterators cannot yield inside try/catch, so each awaited step translates SQLite's failures itself.
    private static async Task<T> Guard<T>(Task<T> step)
    {
        try
        {
            return await step.ConfigureAwait(false);
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
