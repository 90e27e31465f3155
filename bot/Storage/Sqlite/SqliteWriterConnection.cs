using Microsoft.Data.Sqlite;

namespace EmpowerBot.Storage.Sqlite;

/// <summary>
/// The one read-write connection, its prepared statements and the ETag sequence. Used only by the writer
/// thread after construction. One SQLite table holds every logical table; its primary key (tbl, pk, rk) is
/// the clustered index, so a partition is one contiguous range of the b-tree.
/// </summary>
internal sealed class SqliteWriterConnection : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS entities(
            tbl TEXT NOT NULL, pk TEXT NOT NULL, rk TEXT NOT NULL, etag TEXT NOT NULL, props TEXT NOT NULL,
            PRIMARY KEY (tbl, pk, rk)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tables(name TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta(key TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        """;

    private const string Key = "tbl = $t AND pk = $p AND rk = $r";

    private readonly SqliteConnection _db;
    private readonly List<SqliteCommand> _prepared = [];
    private readonly SqliteCommand _begin, _commit, _rollback, _savepoint, _release, _rollbackTo;
    private readonly SqliteCommand _insert, _upsert, _update, _delete, _exists, _registerTable;
    private readonly long _epoch;
    private long _etagCounter;

    public SqliteWriterConnection(string connectionString)
    {
        _db = new SqliteConnection(connectionString);
        try
        {
            _db.Open();
            // WAL lets readers run beside the writer; synchronous=FULL syncs the WAL on every commit, so an
            // acknowledged write survives power loss, not only a process crash.
            JournalMode = Scalar("PRAGMA journal_mode=WAL") as string ?? "";
            Scalar("PRAGMA synchronous=FULL");
            Synchronous = Scalar("PRAGMA synchronous") as long? ?? -1;
            using (var schema = _db.CreateCommand())
            {
                schema.CommandText = Schema;
                schema.ExecuteNonQuery();
            }
            // Grows by one on every open and is durable before any write, so ETags made of (epoch, counter)
            // are never reused, even across a crash, a delete and a re-insert.
            _epoch = (long)Scalar("INSERT INTO meta(key, value) VALUES('epoch', 1) ON CONFLICT DO UPDATE SET value = value + 1 RETURNING value")!;

            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _savepoint = Prepare("SAVEPOINT work");
            _release = Prepare("RELEASE work");
            _rollbackTo = Prepare("ROLLBACK TO work");
            _insert = Prepare("INSERT INTO entities(tbl, pk, rk, etag, props) VALUES($t, $p, $r, $e, $j) ON CONFLICT DO NOTHING", "$t", "$p", "$r", "$e", "$j");
            _upsert = Prepare("INSERT INTO entities(tbl, pk, rk, etag, props) VALUES($t, $p, $r, $e, $j) ON CONFLICT DO UPDATE SET etag = excluded.etag, props = excluded.props", "$t", "$p", "$r", "$e", "$j");
            _update = Prepare($"UPDATE entities SET etag = $e, props = $j WHERE {Key} AND ($m = '*' OR etag = $m)", "$t", "$p", "$r", "$e", "$j", "$m");
            _delete = Prepare($"DELETE FROM entities WHERE {Key} AND ($m = '*' OR etag = $m)", "$t", "$p", "$r", "$m");
            _exists = Prepare($"SELECT 1 FROM entities WHERE {Key}", "$t", "$p", "$r");
            _registerTable = Prepare("INSERT INTO tables(name) VALUES($n) ON CONFLICT DO NOTHING", "$n");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>What SQLite reported after the pragmas were set (journal_mode is per file, synchronous per connection).</summary>
    public string JournalMode { get; }

    public long Synchronous { get; }

    public void Begin() => _begin.ExecuteNonQuery();

    public void Commit() => _commit.ExecuteNonQuery();

    public void Rollback() => _rollback.ExecuteNonQuery();

    public void Savepoint() => _savepoint.ExecuteNonQuery();

    public void ReleaseSavepoint() => _release.ExecuteNonQuery();

    public void RollbackToSavepoint() => _rollbackTo.ExecuteNonQuery();

    public void RegisterTable(string name)
    {
        _registerTable.Parameters[0].Value = name;
        _registerTable.ExecuteNonQuery();
    }

    /// <summary>Applies one operation; returns the row's new ETag (null for a delete) or throws the conflict.</summary>
    public string? Apply(string table, TableOperation op, string? props, int index)
    {
        var entity = op.Entity;
        switch (op.Kind)
        {
            case TableOperationKind.Insert:
                var inserted = NextETag();
                return Run(_insert, table, entity, inserted, props) == 1 ? inserted : throw Conflict(table, op, index, ConflictReason.EntityExists);
            case TableOperationKind.Upsert:
                var upserted = NextETag();
                Run(_upsert, table, entity, upserted, props);
                return upserted;
            case TableOperationKind.Replace:
                var replaced = NextETag();
                _update.Parameters[5].Value = op.IfMatch;
                return Run(_update, table, entity, replaced, props) == 1 ? replaced : throw Conflict(table, op, index, Missing(table, entity));
            case TableOperationKind.Delete:
                _delete.Parameters[3].Value = op.IfMatch;
                return Run(_delete, table, entity) == 1 ? null : throw Conflict(table, op, index, Missing(table, entity));
            default:
                throw new ArgumentException($"Operation {index} has an unknown kind {op.Kind}.");
        }
    }

    private string NextETag() => $"W/\"{_epoch}.{++_etagCounter}\"";

    private static int Run(SqliteCommand command, string table, TableEntity entity, string? etag = null, string? props = null)
    {
        var parameters = command.Parameters;
        parameters[0].Value = table;
        parameters[1].Value = entity.PartitionKey;
        parameters[2].Value = entity.RowKey;
        if (etag is not null)
        {
            parameters[3].Value = etag;
            parameters[4].Value = props;
        }
        return command.ExecuteNonQuery();
    }

    /// <summary>Why a conditional write matched no row: the row is there with another ETag, or not there at all.</summary>
    private ConflictReason Missing(string table, TableEntity entity)
    {
        var parameters = _exists.Parameters;
        parameters[0].Value = table;
        parameters[1].Value = entity.PartitionKey;
        parameters[2].Value = entity.RowKey;
        return _exists.ExecuteScalar() is null ? ConflictReason.NotFound : ConflictReason.PreconditionFailed;
    }

    private static StorageConflictException Conflict(string table, TableOperation op, int index, ConflictReason reason) =>
        new(index, reason, $"Operation {index} ({op.Kind} of row '{op.Entity.RowKey}' in table '{table}') failed: {reason}. Nothing of the batch was written.");

    private object? Scalar(string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter(name, SqliteType.Text));
        }
        command.Prepare();
        _prepared.Add(command);
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _prepared)
        {
            command.Dispose();
        }
        _db.Dispose();
    }
}
