import { expressionAttributes, itemWriteContext } from '../../../local-aws/iam/operations/dynamodb-context';

describe('Function: itemWriteContext', () => {
  it("names the key and the top-level attributes of the ledger's timeline append, and the partition key", () => {
    // Prepare: what updateQuarantine sends to append one action (lambdas/core/ledger/ledger.ts).
    const request = {
      TableName: 'sequester-ledger',
      Key: { pk: { S: 'Q#q-1' } },
      UpdateExpression:
        'SET updatedAt = :now, actions = list_append(if_not_exists(actions, :empty), :actions)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': { S: 't' }, ':empty': { L: [] }, ':actions': { L: [] } },
    };
    // Act
    const context = itemWriteContext(request);
    // Assess
    expect(context).toEqual({
      'dynamodb:Attributes': ['actions', 'pk', 'updatedAt'],
      'dynamodb:LeadingKeys': ['Q#q-1'],
    });
  });

  it('resolves #name placeholders and keeps only the top-level name of a nested path', () => {
    // Act
    const names = expressionAttributes(
      'SET #k1 = :v1, preState.#k2 = if_not_exists(preState.#k2, :v2) REMOVE tags[0]',
      {
        '#k1': 'state',
        '#k2': 'sg',
      },
    );
    // Assess
    expect(names).toEqual(['state', 'preState', 'preState', 'tags']);
  });

  it('leaves the partition key out for a composite key, whose partition attribute it cannot tell', () => {
    // Act
    const context = itemWriteContext({
      Key: { a: { S: '1' }, b: { N: '2' } },
      UpdateExpression: 'SET c = :c',
    });
    // Assess
    expect(context).toEqual({ 'dynamodb:Attributes': ['a', 'b', 'c'] });
  });
});
