using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

public enum CreditStatus { Applied, Voided, PendingApproval, Approved, Declined, Expired }

/// <summary>One credit in a rep's ledger. <see cref="Exception"/> is true for manager-approved exceptions, funded outside the budget.</summary>
public sealed record Credit(
    string Id,
    Money Amount,
    string Customer,
    string Reason,
    CreditStatus Status,
    DateTimeOffset CreatedAt,
    bool Exception = false);

/// <summary>What a rep has spent in a period: discretionary credits and, separately, approved exceptions.</summary>
public sealed record Balance(Money Spent, Money Exceptions, string? ETag);

/// <summary>Key layout of the budgets table (DESIGN.md): one partition per tenant, person and period.</summary>
public static class LedgerRows
{
    public const string BalanceRow = "balance";
    public const string CreditPrefix = "credit|";
    public const string IdempotencyPrefix = "idem|";

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

    public static Credit ReadCredit(TableEntity row, Currency currency) => new(
        row.RowKey[CreditPrefix.Length..],
        new Money(row.GetInt64("amount"), currency),
        row.GetString("customer") ?? "",
        row.GetString("reason") ?? "",
        Enum.TryParse<CreditStatus>(row.GetString("status"), out var status) ? status : CreditStatus.Applied,
        row.GetTime("createdAt") ?? DateTimeOffset.MinValue,
        row.GetBool("exception"));

    public static TableEntity WriteCredit(string partition, Credit credit) => new(partition, CreditPrefix + credit.Id, new Dictionary<string, object?>
    {
        ["amount"] = credit.Amount.Minor,
        ["currency"] = credit.Amount.Currency.Code,
        ["customer"] = credit.Customer,
        ["reason"] = credit.Reason,
        ["status"] = credit.Status.ToString(),
        ["createdAt"] = credit.CreatedAt,
        ["exception"] = credit.Exception,
    });
}
