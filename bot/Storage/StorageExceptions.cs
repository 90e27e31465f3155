namespace EmpowerBot.Storage;

public enum ConflictReason { EntityExists, PreconditionFailed, NotFound }

/// <summary>
/// A batch was refused because one operation's condition did not hold. Nothing of the batch was written.
/// Not retried by the store: the domain re-reads and re-decides.
/// </summary>
public sealed class StorageConflictException(int operationIndex, ConflictReason reason, string message)
    : Exception(message)
{
    public int OperationIndex { get; } = operationIndex;

    public ConflictReason Reason { get; } = reason;
}

/// <summary>The store could not be reached or failed; nothing can be assumed written unless the caller re-reads.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
