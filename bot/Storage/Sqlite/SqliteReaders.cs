using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace EmpowerBot.Storage.Sqlite;

/// <summary>
/// Read-only connections kept open together with their prepared statements, lent to one read at a time. Microsoft.Data.Sqlite
/// pools connections but compiles a command's SQL again on every use, which cost more than the read itself; here a
/// statement is compiled once per connection, as the writer's are. Idle connections beyond a few are closed, not kept.
/// </summary>
internal sealed class SqliteReaders(string connectionString) : IDisposable
{
    private readonly ConcurrentBag<SqliteReader> _idle = [];
    private readonly int _maxIdle = Math.Max(4, 2 * Environment.ProcessorCount);
    private int _idleCount;
    private volatile bool _disposed;

    public SqliteReader Rent()
    {
        if (_idle.TryTake(out var reader))
        {
            Interlocked.Decrement(ref _idleCount);
            return reader;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SqliteReader(connectionString);
    }

    /// <summary>Takes a connection back after a read that went well; one that failed is disposed by its borrower instead.</summary>
    public void Return(SqliteReader reader)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            if (!_disposed) Interlocked.Decrement(ref _idleCount);
            reader.Dispose();
            return;
        }
        _idle.Add(reader);
        // Returned while the store was being disposed: make sure it does not outlive the store.
        if (_disposed) Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }
}

/// <summary>One read-only connection and the statements prepared on it. Used by one borrower at a time.</summary>
internal sealed class SqliteReader : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);

    public SqliteReader(string connectionString)
    {
        _db = new SqliteConnection(connectionString);
        try
        {
            _db.Open();
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    /// <summary>The command for <paramref name="sql"/>, prepared on first use; set its parameters (in the order named) and run it.</summary>
    public SqliteCommand Statement(string sql, params ReadOnlySpan<string> parameters)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = _db.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, SqliteType.Text));
            }
            command.Prepare();
            _statements.Add(sql, command);
        }
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }
        _db.Dispose();
    }
}
