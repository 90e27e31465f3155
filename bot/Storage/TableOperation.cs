namespace EmpowerBot.Storage;

public enum TableOperationKind { Insert, Replace, Upsert, Delete }

/// <summary>
/// One write of a batch. Replace and Delete carry the ETag they expect ("*" matches any existing row);
/// Insert fails when the row exists; Upsert never fails on a condition.
/// </summary>
public sealed record TableOperation(TableOperationKind Kind, TableEntity Entity, string? IfMatch = null)
{
    public const string AnyETag = "*";

    public static TableOperation Insert(TableEntity entity) => new(TableOperationKind.Insert, entity);

    public static TableOperation Upsert(TableEntity entity) => new(TableOperationKind.Upsert, entity);

    public static TableOperation Replace(TableEntity entity, string ifMatch) => new(TableOperationKind.Replace, entity, ifMatch);

    public static TableOperation Delete(string partitionKey, string rowKey, string ifMatch) =>
        new(TableOperationKind.Delete, new TableEntity(partitionKey, rowKey), ifMatch);
}
