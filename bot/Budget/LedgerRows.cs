using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

/// <summary>Key layout of the budgets table (docs/ARCHITECTURE.md, "Tables"): one partition per tenant, person and period.</summary>
public static class LedgerRows
{
    public const string BalanceRow = "balance";
    public const string CreditPrefix = "credit|";
    public const string IdempotencyPrefix = "idem|";

    /// <summary>Just past every credit row ('}' follows '|'): a read from <see cref="BalanceRow"/> to here is the balance and the credits.</summary>
    public const string CreditsEnd = "credit}";

    public static string Partition(string tenantId, string personKey, Period period) => Tables.Key(tenantId, personKey, period.Key);

    public static Balance ReadBalance(TableEntity? row, Currency currency) => row is null
        ? new Balance(Money.Zero(currency), Money.Zero(currency), null)
        : new Balance(new Money(row.GetInt64("spent"), currency), new Money(row.GetInt64("exceptions"), currency), row.ETag);

    public static TableEntity WriteBalance(string partition, Balance balance) => new(partition, BalanceRow, new Dictionary<string, object?>
    {
        ["spent"] = balance.Spent.Minor,
        ["exceptions"] = balance.Exceptions.Minor,
        ["currency"] = balance.Spent.Currency.Code,
    });

    /// <summary>The balance write of a batch: insert when the month has no balance yet, else replace-if-unchanged.</summary>
    public static TableOperation SaveBalance(string partition, Balance updated, string? readETag) => readETag is null
        ? TableOperation.Insert(WriteBalance(partition, updated))
        : TableOperation.Replace(WriteBalance(partition, updated), readETag);

    public static Credit ReadCredit(TableEntity row, Currency currency) => new(
        row.RowKey[CreditPrefix.Length..],
        row.GetString("uid") ?? "",
        new Money(row.GetInt64("amount"), currency),
        row.GetString("customer") ?? "",
        row.GetString("reason") ?? "",
        Enum.TryParse<CreditStatus>(row.GetString("status"), out var status) ? status : CreditStatus.Applied,
        row.GetTime("createdAt") ?? DateTimeOffset.MinValue,
        row.GetString("rule") ?? "",
        row.GetString("note") ?? "",
        new Money(row.GetInt64("remainingAfter"), currency),
        row.GetBool("exception"),
        row.GetTime("voidedAt"),
        row.GetString("whatToDo"),
        row.GetString("decision"));

    public static TableEntity WriteCredit(string partition, Credit credit)
    {
        var properties = new Dictionary<string, object?>
        {
            ["uid"] = credit.Uid,
            ["amount"] = credit.Amount.Minor,
            ["currency"] = credit.Amount.Currency.Code,
            ["customer"] = credit.Customer,
            ["reason"] = credit.Reason,
            ["status"] = credit.Status.ToString(),
            ["createdAt"] = credit.CreatedAt,
            ["rule"] = credit.Rule,
            ["note"] = credit.Note,
            ["remainingAfter"] = credit.RemainingAfter.Minor,
            ["exception"] = credit.Exception,
        };
        if (credit.VoidedAt is { } voided) properties["voidedAt"] = voided;
        if (credit.WhatToDo is { } whatToDo) properties["whatToDo"] = whatToDo;
        if (credit.Decision is { } decision) properties["decision"] = decision;
        return new TableEntity(partition, CreditPrefix + credit.Ref, properties);
    }

    /// <summary>Marks an activity as handled, pointing at the credit it produced, so a redelivery replays the receipt.</summary>
    public static TableEntity WriteIdempotency(string partition, string key, string creditRef) =>
        new(partition, IdempotencyRow(key), new Dictionary<string, object?> { ["credit"] = creditRef });

    /// <summary>Channel ids may hold characters table keys refuse; a hash keeps the row key safe and short.</summary>
    public static string IdempotencyRow(string key) =>
        IdempotencyPrefix + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32];
}
