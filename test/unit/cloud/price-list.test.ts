import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  onDemandPriceQueries,
  pricingEndpointRegion,
} from '../../../lib/cloud/instance-catalogue/aws-pricing-source';
import { parsePriceList } from '../../../lib/cloud/instance-catalogue/price-list';

/** A GetProducts answer in the Pricing API's own shape: each PriceList entry is a product as a JSON string. */
const answer = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'get-products-ec2-us-east-1.json'), 'utf8'),
) as { PriceList: string[] };

describe('reading the AWS Price List', () => {
  it("reads each product's hourly on-demand price in USD, bare metal included", () => {
    const { prices } = parsePriceList(answer.PriceList);

    expect(prices).toEqual({
      'm5.large': 0.096,
      'c7g.medium': 0.0363,
      'm7i.metal-24xl': 4.8384,
      'r5.large': 0.126,
    });
  });

  it('dates the table by the latest publication date among the products', () => {
    expect(parsePriceList(answer.PriceList).date).toBe('2026-07-20');
    expect(parsePriceList([]).date).toBeUndefined();
  });

  it('skips what it cannot price (not JSON, a zero price, no instance type) without losing the rest', () => {
    const noType = JSON.stringify({ product: { attributes: {} }, terms: { OnDemand: {} } });
    const { prices, skipped } = parsePriceList([...answer.PriceList, noType]);

    expect(skipped).toBe(3); // the text that is not JSON, t1.micro at $0, and the product naming no type
    expect(prices['t1.micro']).toBeUndefined();
    expect(Object.keys(prices)).toHaveLength(4);
  });

  it('counts only the hourly dimension of a term, not a fee in another unit', () => {
    const feeFirst = JSON.stringify({
      product: { attributes: { instanceType: 'x2.large' } },
      terms: {
        OnDemand: {
          'SKU.T': {
            priceDimensions: {
              'SKU.T.FEE': { unit: 'Quantity', pricePerUnit: { USD: '263' } },
              'SKU.T.HRS': { unit: 'Hrs', pricePerUnit: { USD: '0.5000000000' } },
            },
          },
        },
      },
    });
    expect(parsePriceList([feeFirst]).prices).toEqual({ 'x2.large': 0.5 });
  });

  it('reads another currency when told (the China partition prices in CNY)', () => {
    const cny = JSON.stringify({
      product: { attributes: { instanceType: 'm5.large' } },
      terms: { OnDemand: { T: { priceDimensions: { D: { unit: 'Hrs', pricePerUnit: { CNY: '0.7' } } } } } },
    });
    expect(parsePriceList([cny]).prices).toEqual({});
    expect(parsePriceList([cny], 'CNY').prices).toEqual({ 'm5.large': 0.7 });
  });
});

describe('asking the AWS Pricing API', () => {
  it.each([
    ['us-east-1', 'us-east-1'],
    ['us-west-2', 'us-east-1'],
    ['ca-central-1', 'us-east-1'],
    ['sa-east-1', 'us-east-1'],
    ['eu-west-1', 'eu-central-1'],
    ['eu-central-1', 'eu-central-1'],
    ['ap-northeast-1', 'ap-south-1'],
    ['ap-south-1', 'ap-south-1'],
    ['cn-north-1', undefined],
    ['us-gov-west-1', undefined],
  ])('prices %s through the endpoint in %s', (region, endpoint) => {
    expect(pricingEndpointRegion(region)).toBe(endpoint);
  });

  it("asks for the region's Linux on-demand instances without pre-installed software, in use, shared and bare metal", () => {
    const queries = onDemandPriceQueries('eu-west-1');
    const filters = queries.map((query) =>
      Object.fromEntries((query.Filters ?? []).map((f) => [f.Field, `${f.Type} ${f.Value}`])),
    );
    const common = {
      regionCode: 'TERM_MATCH eu-west-1',
      serviceCode: 'TERM_MATCH AmazonEC2',
      operatingSystem: 'TERM_MATCH Linux',
      preInstalledSw: 'TERM_MATCH NA',
      capacitystatus: 'TERM_MATCH Used',
      marketoption: 'TERM_MATCH OnDemand',
    };
    expect(filters).toEqual([
      { ...common, tenancy: 'TERM_MATCH Shared', productFamily: 'TERM_MATCH Compute Instance' },
      {
        ...common,
        tenancy: 'TERM_MATCH Dedicated',
        productFamily: 'TERM_MATCH Compute Instance (bare metal)',
      },
    ]);
    expect(queries.every((query) => query.ServiceCode === 'AmazonEC2' && query.MaxResults === 100)).toBe(
      true,
    );
  });
});
